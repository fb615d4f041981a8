using System.Diagnostics;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary>
/// <c>reload.watch</c>'s watcher, on real folders. That a call did not come is shown against a
/// witness: a second watcher on the same change with a longer quiet time, whose call comes only
/// after the one under test would have come.
/// </summary>
public sealed class ConfigWatcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan WitnessQuiet = TimeSpan.FromSeconds(1.5);

    private TempFolder _folder = null!;
    private readonly List<IDisposable> _watchers = [];

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder()
    {
        _watchers.ForEach(w => w.Dispose());
        _watchers.Clear();
        _folder.Dispose();
    }

    [Test]
    public void An_edit_of_the_config_calls_back_once_within_2_s()
    {
        string config = _folder.Write("echo.yaml", "pipeline: [uppercase]\n");
        (ConfigWatcher watcher, WatcherCalls calls) = Start();
        Assert.That(watcher.Watch(Load(config)), Is.Empty, "every folder is watched");
        WatcherCalls witness = Witness(config);

        var edited = Stopwatch.StartNew();
        File.WriteAllText(config, "pipeline: [reverse]\n");

        Assert.That(calls.Reached(1, TimeSpan.FromSeconds(2)), Is.True, $"no call {edited.ElapsedMilliseconds} ms after the edit");
        Assert.That(witness.Reached(1, Bound), Is.True);
        Assert.That(calls.Count, Is.EqualTo(1));
    }

    [Test]
    public void Several_quick_writes_are_one_call()
    {
        string config = _folder.Write("echo.yaml", "pipeline: [uppercase]\n");
        (ConfigWatcher watcher, WatcherCalls calls) = Start();
        watcher.Watch(Load(config));
        WatcherCalls witness = Witness(config);

        File.WriteAllText(config, "");
        File.AppendAllText(config, "pipeline:\n");
        File.AppendAllText(config, "  - reverse\n");
        File.AppendAllText(config, "  - rot13\n");
        File.SetLastWriteTimeUtc(config, DateTime.UtcNow);

        Assert.That(calls.Reached(1, Bound), Is.True);
        Assert.That(witness.Reached(1, Bound), Is.True);
        Assert.That(calls.Count, Is.EqualTo(1));
    }

    [Test]
    public void A_temporary_file_renamed_over_the_config_calls_back_and_later_edits_still_do()
    {
        string config = _folder.Write("echo.yaml", "pipeline: [uppercase]\n");
        (ConfigWatcher watcher, WatcherCalls calls) = Start();
        watcher.Watch(Load(config));

        // As vim, VS Code and sed -i save: a new file, renamed over the old one (another inode).
        string temporary = _folder.Write("echo.yaml.swp~", "pipeline: [reverse]\n");
        File.Move(temporary, config, overwrite: true);
        Assert.That(calls.Reached(1, Bound), Is.True, "the rename");

        File.WriteAllText(config, "pipeline: [rot13]\n");
        Assert.That(calls.Reached(2, Bound), Is.True, "an edit of the file that replaced the first");
    }

    [Test]
    public void A_change_of_a_script_file_the_config_names_calls_back()
    {
        string script = _folder.Write(Path.Combine("scripts", "censor.js"), "return message;\n");
        string config = _folder.Write("echo.yaml", "pipeline:\n  - script_file: scripts/censor.js\n");
        (ConfigWatcher watcher, WatcherCalls calls) = Start();
        watcher.Watch(Load(config));

        File.WriteAllText(script, "return message.toUpperCase();\n");

        Assert.That(calls.Reached(1, Bound), Is.True);
    }

    [Test]
    public void A_DLL_copied_into_a_subfolder_of_the_plugins_folder_calls_back_and_so_does_a_new_subfolder()
    {
        string shout = Directory.CreateDirectory(Path.Combine(_folder.Path, "plugins", "Shout")).FullName;
        string config = _folder.Write("echo.yaml", "plugins: plugins\n");
        (ConfigWatcher watcher, WatcherCalls calls) = Start();
        watcher.Watch(Load(config));

        File.Copy(SomeDll, Path.Combine(shout, "Shout.dll"));
        Assert.That(calls.Reached(1, Bound), Is.True, "a DLL in an existing subfolder");

        string whisper = Directory.CreateDirectory(Path.Combine(_folder.Path, "plugins", "Whisper")).FullName;
        File.Copy(SomeDll, Path.Combine(whisper, "Whisper.dll"));
        Assert.That(calls.Reached(2, Bound), Is.True, "a new subfolder with a DLL");
    }

    [Test]
    public void An_unrelated_file_beside_the_config_does_not_call_back()
    {
        string config = _folder.Write("echo.yaml", "pipeline: [uppercase]\n");
        string notes = _folder.Write("notes.txt", "");
        (ConfigWatcher watcher, WatcherCalls calls) = Start(TimeSpan.FromMilliseconds(100));
        watcher.Watch(Load(config));
        WatcherCalls witness = Witness(notes);

        File.WriteAllText(notes, "not the config\n");
        _folder.Write("echo.yaml.bak", "a backup, not the config\n");

        Assert.That(witness.Reached(1, Bound), Is.True);
        Assert.That(calls.Count, Is.Zero);

        File.WriteAllText(config, "pipeline: [reverse]\n");
        Assert.That(calls.Reached(1, Bound), Is.True, "it was watching all along");
    }

    [Test]
    public void Nothing_calls_back_once_Dispose_has_returned_neither_a_change_pending_then_nor_one_after()
    {
        string config = _folder.Write("echo.yaml", "pipeline: [uppercase]\n");
        (ConfigWatcher watcher, WatcherCalls calls) = Start(TimeSpan.FromSeconds(1));
        watcher.Watch(Load(config));
        var witness = new WatcherCalls();
        Watcher(witness.Record, TimeSpan.FromSeconds(2)).Watch([config], null);

        File.WriteAllText(config, "pipeline: [reverse]\n"); // Its call would come 1 s after.
        watcher.Dispose();
        File.WriteAllText(config, "pipeline: [rot13]\n");

        Assert.That(witness.Reached(1, Bound), Is.True);
        Assert.That(calls.Count, Is.Zero);
        Assert.That(() => watcher.Watch([config], null), Throws.TypeOf<ObjectDisposedException>());
        Assert.That(watcher.Dispose, Throws.Nothing, "twice");
    }

    [Test]
    public void A_file_that_does_not_exist_yet_in_a_folder_that_does_not_either_calls_back_once_it_appears_and_then_when_it_changes()
    {
        string script = Path.Combine(_folder.Path, "scripts", "later", "censor.js");
        (ConfigWatcher watcher, WatcherCalls calls) = Start();
        Assert.That(watcher.Watch([script], null), Is.Empty);

        _folder.Write(Path.GetRelativePath(_folder.Path, script), "return message;\n");
        Assert.That(calls.Reached(1, Bound), Is.True, "it appeared");

        File.WriteAllText(script, "return message.toUpperCase();\n");
        Assert.That(calls.Reached(2, Bound), Is.True, "it changed, now that its folder is there to watch");
    }

    [Test]
    public void An_absent_plugins_folder_calls_back_once_it_appears_and_is_then_watched_inside()
    {
        string plugins = Path.Combine(_folder.Path, "plugins");
        (ConfigWatcher watcher, WatcherCalls calls) = Start();
        Assert.That(watcher.Watch([], plugins), Is.Empty);

        Directory.CreateDirectory(Path.Combine(plugins, "Shout"));
        File.Copy(SomeDll, Path.Combine(plugins, "Shout", "Shout.dll"));
        Assert.That(calls.Reached(1, Bound), Is.True, "the folder appeared");

        File.Copy(SomeDll, Path.Combine(plugins, "Shout", "ShoutHelper.dll"));
        Assert.That(calls.Reached(2, Bound), Is.True, "a DLL copied in, once it is there");
    }

    [Test]
    public void Watch_replaces_what_is_watched()
    {
        string before = _folder.Write("before.js", "");
        string after = _folder.Write("after.js", "");
        (ConfigWatcher watcher, WatcherCalls calls) = Start(TimeSpan.FromMilliseconds(100));
        watcher.Watch([before], null);
        watcher.Watch([after], null);
        WatcherCalls witness = Witness(before);

        File.WriteAllText(before, "return 1;\n");
        Assert.That(witness.Reached(1, Bound), Is.True);
        Assert.That(calls.Count, Is.Zero, "no longer watched");

        File.WriteAllText(after, "return 2;\n");
        Assert.That(calls.Reached(1, Bound), Is.True);
    }

    [Test]
    public void A_change_during_a_call_is_called_back_after_it_never_beside_it()
    {
        string config = _folder.Write("echo.yaml", "pipeline: [uppercase]\n");
        (ConfigWatcher watcher, WatcherCalls calls) = Start(TimeSpan.FromMilliseconds(100));
        var inFirstCall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        calls.During = () =>
        {
            calls.During = null;
            inFirstCall.SetResult();
            release.Task.Wait(Bound);
        };
        watcher.Watch(Load(config));

        File.WriteAllText(config, "pipeline: [reverse]\n");
        Assert.That(inFirstCall.Task.Wait(Bound), Is.True);
        WatcherCalls witness = Witness(config);
        File.WriteAllText(config, "pipeline: [rot13]\n");
        Assert.That(witness.Reached(1, Bound), Is.True, "by now the second call is due");
        Assert.That(calls.Count, Is.EqualTo(1), "it waits for the first");

        release.SetResult();
        Assert.That(calls.Reached(2, Bound), Is.True);
        Assert.That(calls.Overlapped, Is.False);
    }

    /// <summary>Any DLL will do: the watcher does not load it.</summary>
    private static string SomeDll => Path.Combine(TestPaths.SamplePlugins, "Reverse", "Reverse.dll");

    private static ServerSettings Load(string config) => ConfigLoader.Load(config, TestPaths.SamplePlugins);

    private (ConfigWatcher Watcher, WatcherCalls Calls) Start(TimeSpan? quiet = null)
    {
        var calls = new WatcherCalls();
        return (Watcher(calls.Record, quiet), calls);
    }

    /// <summary>Watches <paramref name="file"/> too, calling back <see cref="WitnessQuiet"/> after
    /// its last change: later than a watcher under test with a shorter quiet time would.</summary>
    private WatcherCalls Witness(string file)
    {
        var calls = new WatcherCalls();
        Watcher(calls.Record, WitnessQuiet).Watch([file], null);
        return calls;
    }

    private ConfigWatcher Watcher(Action changed, TimeSpan? quiet)
    {
        var watcher = new ConfigWatcher(changed, quiet);
        _watchers.Add(watcher);
        return watcher;
    }
}
