using System.CommandLine;
using PluggableEcho.Host.Cli;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Networking;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Deploy;

/// <summary>The shipped unit, deploy/systemd/pluggable-echo.service, as systemd and the host read it.</summary>
public sealed class SystemdUnitTests
{
    private const string UnitName = "pluggable-echo.service";
    private const string InstalledExecutable = "/opt/pluggable-echo/pluggable-echo";

    private static readonly string ShippedUnit = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "deploy", "systemd", UnitName));

    [Test]
    public async Task Systemd_analyze_verify_finds_nothing_wrong_with_the_unit()
    {
        string analyze = SystemTool.Find("systemd-analyze", "systemd");
        // verify wants ExecStart's program to exist: the built one stands in for the installed one,
        // the rest of the unit is as shipped. It reads unit files itself: no running systemd needed.
        Assert.That(ShippedUnit, Does.Contain($"\nExecStart={InstalledExecutable} "));
        using var folder = new TempFolder();
        string unit = folder.Write(UnitName, ShippedUnit.Replace($"\nExecStart={InstalledExecutable} ", $"\nExecStart={Path.Combine(TestPaths.HostOutput, "pluggable-echo")} ", StringComparison.Ordinal));

        (int exit, string output, string errors) = await SystemTool.RunAsync(analyze, ["verify", unit]);

        // Warnings about the machine's own units may come too; an unknown key in ours exits 0 but says so.
        Assert.That(errors.Split('\n').Where(line => line.Contains(UnitName, StringComparison.Ordinal)), Is.Empty);
        Assert.That(exit, Is.Zero, output + errors);
    }

    [Test]
    public void ExecStart_is_a_run_command_line_the_host_takes()
    {
        string[] command = Setting("ExecStart").Split(' ');

        ParseResult parsed = EchoCommandLine.Create().Parse(command[1..]);

        Assert.That(command[0], Is.EqualTo(InstalledExecutable), "the executable is named after the host's AssemblyName");
        Assert.That(parsed.Errors, Is.Empty);
        Assert.That(parsed.CommandResult.Command.Name, Is.EqualTo("run"));
    }

    [Test]
    public void Systemd_waits_out_a_default_stop_and_allows_the_default_connections()
    {
        // The server gives up on a stop a second after shutdown_timeout; systemd must not kill it first.
        TimeSpan stopTimeout = TimeSpan.FromSeconds(int.Parse(Setting("TimeoutStopSec"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.That(stopTimeout, Is.GreaterThan(new LimitsSection().ShutdownTimeout + EchoServer.StopGrace));
        Assert.That(int.Parse(Setting("LimitNOFILE"), System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThan(new ConnectionLimits().MaxConnections));
    }

    [Test]
    public void Systemd_starts_again_a_server_that_exits_on_a_fault()
    {
        // on_stuck: exit ends the process with 3, and faults no process can contain kill it.
        Assert.That(Setting("Restart"), Is.EqualTo("on-failure"));
        Assert.That(Settings().Select(s => s.Key), Does.Not.Contain("SuccessExitStatus").And.Not.Contain("RestartPreventExitStatus"));
    }

    [Test]
    public void The_jit_may_write_the_code_it_runs()
    {
        Assert.That(Settings().Select(s => s.Key), Does.Not.Contain("MemoryDenyWriteExecute"), ".NET's JIT needs memory both writable and executable");
    }

    private static string Setting(string key) => Settings().Single(s => s.Key == key).Value;

    private static IEnumerable<(string Key, string Value)> Settings() =>
        from line in ShippedUnit.Split('\n')
        where !line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal)
        let sign = line.IndexOf('=', StringComparison.Ordinal)
        select (line[..sign], line[(sign + 1)..]);
}
