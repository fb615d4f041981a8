using System.Diagnostics;
using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary><c>reload.watch: true</c>: the server reloads by itself when its config changes,
/// however an editor writes it, and a half-written file fails cleanly until it is whole.</summary>
[NonParallelizable]
public sealed class WatchReloadTests
{
    private const int Reloaded = 310;
    private const int ReloadFailed = 311;
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(2);

    [Test]
    public void An_edit_of_the_config_is_applied_within_two_seconds()
    {
        using var server = new RunningServer("pipeline: [uppercase]\nreload: { watch: true }\n");

        var clock = Stopwatch.StartNew();
        server.Rewrite("pipeline: [reverse]\nreload: { watch: true }\n");
        string reloaded = server.Log.WaitFor(Reloaded);
        TimeSpan took = clock.Elapsed;

        Assert.That(reloaded, Does.Contain("reload (watch): generation 2"));
        Assert.That(took, Is.LessThan(Promise), "applied within 2 s of the write");
        Assert.That(Ask(server, "abc"), Is.EqualTo("cba\n"));
    }

    [Test]
    public void An_editor_that_writes_a_temporary_file_and_renames_it_over_the_config_is_followed_edit_after_edit()
    {
        using var server = new RunningServer("pipeline: [uppercase]\nreload: { watch: true }\n");
        string config = Path.Combine(server.Folder.Path, "echo.yaml");

        SaveAsAnEditorDoes(config, "pipeline: [reverse]\nreload: { watch: true }\n");
        Assert.That(server.Log.WaitFor(Reloaded, count: 1), Does.Contain("generation 2"));
        Assert.That(Ask(server, "abc"), Is.EqualTo("cba\n"));

        SaveAsAnEditorDoes(config, "pipeline: [rot13]\nreload: { watch: true }\n");
        Assert.That(server.Log.WaitFor(Reloaded, count: 2), Does.Contain("generation 3"), "the new file, renamed in, is watched too");
        Assert.That(Ask(server, "abc"), Is.EqualTo("nop\n"));
    }

    [Test]
    public void A_half_written_config_fails_the_reload_cleanly_and_the_next_complete_write_succeeds()
    {
        using var server = new RunningServer("pipeline: [uppercase]\nreload: { watch: true }\n");
        using TestClient connected = server.Connect();

        server.Rewrite("pipeline: [reverse, rot"); // Cut off mid-write, as a slow copy leaves it.
        Assert.That(server.Log.WaitFor(ReloadFailed), Does.Match(@"generation 1 goes on unchanged: .*echo\.yaml:\d+:\d+"));
        Assert.That(Ask(server, "abc"), Is.EqualTo("ABC\n"), "nothing changed");

        server.Rewrite("pipeline: [reverse, rot13]\nreload: { watch: true }\n");
        Assert.That(server.Log.WaitFor(Reloaded), Does.Contain("generation 2"));
        Assert.That(Ask(server, "abc"), Is.EqualTo("pon\n"));
        connected.Send("still\n");
        Assert.That(connected.ReadLine(), Is.EqualTo("STILL\n"), "reload.existing: keep");
    }

    [Test]
    public void A_config_that_turns_watch_off_is_no_longer_followed()
    {
        using var server = new RunningServer("pipeline: [uppercase]\nreload: { watch: true }\n");
        server.Rewrite("pipeline: [reverse]\nreload: { watch: false }\n");
        Assert.That(server.Log.WaitFor(Reloaded), Does.Contain("generation 2"));

        // A watcher of the test's own, slower than the server's would be, says when the
        // server's would have fired: by then no reload has come.
        var witnessed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var witness = new ConfigWatcher(() => witnessed.TrySetResult(), TimeSpan.FromMilliseconds(900)))
        {
            witness.Watch([Path.Combine(server.Folder.Path, "echo.yaml")], null);
            server.Rewrite("pipeline: [rot13]\n");
            Assert.That(witnessed.Task.Wait(TestClient.Timeout), Is.True);
        }

        Assert.That(server.Log.Messages(Reloaded), Has.Count.EqualTo(1), "the edit was not applied by itself");
        Assert.That(Ask(server, "abc"), Is.EqualTo("cba\n"));
    }

    private static void SaveAsAnEditorDoes(string config, string text)
    {
        string temporary = config + ".swp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, config, overwrite: true);
    }

    private static string Ask(RunningServer server, string line)
    {
        using TestClient client = server.Connect();
        client.Send(line + "\n");
        return client.ReadLine();
    }
}
