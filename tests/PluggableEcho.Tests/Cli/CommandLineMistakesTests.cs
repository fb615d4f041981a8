using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Cli;

/// <summary>Wrong values on the command line, as a new user types them: exit 2, one line that says
/// what is wrong (then the command's help), never a stack trace.</summary>
public sealed class CommandLineMistakesTests
{
    [TestCase("--config", "")]
    [TestCase("check", "--config", "")]
    [TestCase("check", "--config", " ")]
    [TestCase("plugins", "--folder", "")]
    [TestCase("plugins", "--config", "")]
    [TestCase("test", "")]
    [TestCase("--listen", "999.1.1.1:80")]
    [TestCase("--listen", "127.0.0.1:99999")]
    [TestCase("--listen", "")]
    [TestCase("--log-level", "loud")]
    [TestCase("--framing", "lines")]
    [TestCase("bench", "127.0.0.1:1", "--connections", "99999999999")]
    [TestCase("bench", "127.0.0.1:1", "--mode", "pipeline", "--depth", "100000", "--size", "1000000")]
    [TestCase("bench", "127.0.0.1:1", "--duration", "100000h")]
    [TestCase("reload", "127.0.0.1:0")]
    [TestCase("reload", "nowhere")]
    [TestCase("reload", "--config", "")]
    public void A_bad_value_exits_2_with_one_line_saying_what_is_wrong(params string[] arguments)
    {
        using var process = new HostProcess(arguments);

        Assert.That(process.WaitForExit(), Is.EqualTo(2), process.StandardError);
        string[] errors = [.. process.StandardError.Split('\n').Where(line => line.StartsWith("error: ", StringComparison.Ordinal))];
        Assert.That(errors, Has.Length.EqualTo(1), process.StandardError);
        Assert.That(process.StandardError + process.StandardOutput, Does.Not.Contain("   at ").And.Not.Contain("Exception"));
    }

    [TestCase("--config", "--config: the path is empty; give a YAML config file, or leave --config out for the default")]
    [TestCase("--folder", "--folder: the path is empty; give a plugins folder, or leave --folder out for the config's")]
    public void An_empty_path_is_named_as_a_mistake_of_the_command_line(string option, string message)
    {
        using var process = option == "--folder" ? new HostProcess("plugins", option, "") : new HostProcess("check", option, "");

        Assert.That(process.WaitForExit(), Is.EqualTo(2));
        Assert.That(process.StandardError, Does.StartWith($"error: {message}\n"));
    }

    [TestCase("999.1.1.1:80", "error: --listen: '999.1.1.1' in '999.1.1.1:80' is not an IP address or localhost (IPv6 goes in brackets, quoted for the shell: '[::1]:8088')")]
    [TestCase("127.0.0.1:99999", "error: --listen: '99999' in '127.0.0.1:99999' is not a port number (0 to 65535; 0 picks a free port)")]
    [TestCase("8088", "error: --listen: '8088' is not HOST:PORT (for example 127.0.0.1:8088, or '[::1]:8088' in quotes)")]
    public void A_bad_listen_address_is_a_bad_command_line_and_its_message_speaks_of_the_command_line(string listen, string message)
    {
        using var process = new HostProcess("--listen", listen);

        Assert.That(process.WaitForExit(), Is.EqualTo(2));
        Assert.That(process.StandardError.Split('\n')[0], Is.EqualTo(message).And.Not.Contain("YAML")); // The help after it speaks of the YAML config.
    }

    [TestCase("loud")]
    [TestCase("3")]
    [TestCase("Information")]
    public void The_log_level_is_one_of_the_documented_lowercase_names_and_a_wrong_one_is_told_them(string level)
    {
        using var process = new HostProcess("check", "--log-level", level);

        Assert.That(process.WaitForExit(), Is.EqualTo(2));
        Assert.That(process.StandardError, Does.StartWith(
            $"error: --log-level: unknown level '{level}' (known: trace, debug, information, warning, error, critical, none)\n"));
        Assert.That(process.StandardError, Does.Not.Contain("Microsoft.Extensions.Logging"));
    }

    [Test]
    public void Help_shows_durations_and_names_as_they_are_written()
    {
        using var help = new HostProcess("bench", "--help");

        Assert.That(help.WaitForExit(), Is.Zero);
        Assert.That(help.StandardOutput, Does.Contain("such as 10s or 500ms [default: 10s]").And.Contain("[default: 1s]")
            .And.Contain("--mode <pingpong|pipeline|stream|idle>").And.Contain("[default: pingpong]")
            .And.Not.Contain("00:00:").And.Not.Contain("PingPong"));
    }
}
