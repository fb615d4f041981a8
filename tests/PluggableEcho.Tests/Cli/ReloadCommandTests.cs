using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using PluggableEcho.Host.Cli;
using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Cli;

/// <summary><c>reload</c>, run in process against a real admin endpoint whose reload the test controls.</summary>
public sealed class ReloadCommandTests
{
    private static readonly ReloadOutcome Reloaded = new(4, ["listener 0: steps [uppercase] -> [reverse]"], [], ["plugins/notes.dll was not loaded"]);
    private static readonly ReloadOutcome Refused = new(3, [], ["echo.yaml:2:12: unknown step 'revrse'"], ["plugins/notes.dll was not loaded"]);

    [Test]
    public async Task A_reload_that_succeeds_is_printed_on_standard_output_and_exits_0()
    {
        using var admin = new ReloadingAdmin(() => Reloaded);

        (int exit, string output, string error) = await Run("reload", admin.EndPoint.ToString());

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Is.EqualTo("reloaded: generation 4\n  listener 0: steps [uppercase] -> [reverse]\nwarning: plugins/notes.dll was not loaded\n"));
        Assert.That(error, Is.Empty);
    }

    [Test]
    public async Task A_reload_that_fails_prints_its_problems_on_standard_error_and_exits_1()
    {
        using var admin = new ReloadingAdmin(() => Refused);

        (int exit, string output, string error) = await Run("reload", admin.EndPoint.ToString());

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo("reload failed: generation 3 goes on unchanged\nerror: echo.yaml:2:12: unknown step 'revrse'\n"));
        Assert.That(output, Is.EqualTo("warning: plugins/notes.dll was not loaded\n"));
    }

    [Test]
    public async Task Without_an_address_it_takes_the_configs_admin_listen_even_when_the_rest_of_the_config_is_wrong()
    {
        using var admin = new ReloadingAdmin(() => Reloaded);
        using var folder = new TempFolder();
        // The mistakes are the reload's to report, not the command's.
        string config = folder.Write("echo.yaml", $"pipeline: [revrse]\nno_such_key: 1\nadmin:\n  listen: {admin.EndPoint}\n");

        (int exit, string output, string error) = await Run("reload", "--config", config);

        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.StartWith("reloaded: generation 4\n"));
    }

    [Test]
    public async Task A_wildcard_admin_address_in_the_config_is_reached_on_loopback()
    {
        using var admin = new ReloadingAdmin(() => Reloaded);
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", $"admin: {{ listen: 0.0.0.0:{admin.EndPoint.Port}, allow_remote: true }}\n");

        (int exit, _, string error) = await Run("reload", "--config", config);

        Assert.That(exit, Is.Zero, error);
    }

    [Test]
    public async Task An_address_nothing_listens_on_exits_1_with_one_line()
    {
        // Bound but not listening: the connection is refused, and no other program can take the port meanwhile.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        (int exit, string output, string error) = await Run("reload", closed.LocalEndPoint!.ToString()!);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo($"error: cannot reach the admin endpoint at {closed.LocalEndPoint}: Connection refused\n"));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public async Task An_endpoint_that_cannot_reload_exits_1_with_its_one_line()
    {
        using var admin = new ReloadingAdmin(reload: null);

        (int exit, string output, string error) = await Run("reload", admin.EndPoint.ToString());

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Is.EqualTo($"error: the admin endpoint at {admin.EndPoint} answered 501 Not Implemented: "
            + "reload is not available: this server was started without a way to reload its config\n"));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public async Task Something_other_than_an_admin_endpoint_exits_1_with_one_line()
    {
        using var server = new RunningServer("pipeline: [uppercase]\n"); // Answers HTTP with its own echo.

        (int exit, string output, string error) = await Run("reload", server.EndPoint.ToString());

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.StartWith($"error: cannot reach the admin endpoint at {server.EndPoint}: ").And.EndWith("\n"));
        Assert.That(error.TrimEnd('\n'), Does.Not.Contain("\n").And.Not.Contain("   at "));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public async Task A_config_without_an_admin_endpoint_exits_1_saying_how_to_add_one_or_to_send_SIGHUP()
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", "pipeline: [uppercase]\n");

        (int exit, string output, string error) = await Run("reload", "--config", config);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.StartWith($"error: {config} has no admin endpoint to ask for a reload: ")
            .And.Contain("add admin: listen: 127.0.0.1:9090").And.Contain("kill -HUP <pid>"));
        Assert.That(error.TrimEnd('\n'), Does.Not.Contain("\n"));
        Assert.That(output, Is.Empty);
    }

    [TestCase("admin:\n  listen: 127.0.0.1:0\n", "2:3: admin: listen: 127.0.0.1:0: port 0, so the server picked a port the config does not tell")]
    [TestCase("admin:\n  allow_remote: true\n", "listen is required")]
    [TestCase("admin: [\n", "")]
    public async Task A_config_whose_admin_address_cannot_be_known_exits_1_with_its_problem(string yaml, string problem)
    {
        using var folder = new TempFolder();
        string config = folder.Write("echo.yaml", yaml);

        (int exit, string output, string error) = await Run("reload", "--config", config);

        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.StartWith($"error: {config}:").And.Contain(problem));
        Assert.That(output, Is.Empty);
    }

    /// <summary>The command line parsed and run as the executable does, its output captured.</summary>
    private static async Task<(int Exit, string Output, string Error)> Run(params string[] arguments)
    {
        ParseResult parsed = EchoCommandLine.Create().Parse(arguments);
        Assert.That(parsed.Errors, Is.Empty);
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        int exit = await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        return (exit, output.ToString(), error.ToString());
    }
}
