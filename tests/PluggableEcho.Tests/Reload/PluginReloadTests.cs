using System.Runtime.Loader;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Host.Reload;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Reload;

/// <summary>Plugins reloaded while the server runs: a rebuilt one copied over the running one
/// serves new connections, and an ended generation's load contexts are really collected.</summary>
[NonParallelizable]
public sealed class PluginReloadTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Test]
    public void A_plugin_rebuilt_and_copied_over_the_running_one_serves_new_clients_and_the_old_one_unloads_once_its_client_leaves()
    {
        using var plugins = new TempFolder();
        string versioned = Path.Combine(plugins.Path, VersionedPlugin.Name);
        VersionedPlugin.CopyOver(1, versioned);
        string config = $"plugins: {plugins.Path}\npipeline: [versioned]\n";
        using var server = new RunningServer(config);
        var unloadChecked = new TaskCompletionSource<IReadOnlyList<UnloadingPlugin>>(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Host.Reloader.UnloadChecked += alive => unloadChecked.TrySetResult(alive);
        TestClient before = server.Connect();
        before.Send("hi\n");
        Assert.That(before.ReadLine(), Is.EqualTo("v1:hi\n"));

        VersionedPlugin.CopyOver(2, versioned); // In place, while version 1 serves: nothing holds the file.
        ReloadOutcome outcome = server.Reload(config);

        Assert.That(outcome.Problems, Is.Empty);
        Assert.That(outcome.Changes, Has.Some.Matches(@"plugin Versioned 1\.0\.0\.0 -> 2\.0\.0\.0"));
        using (TestClient after = server.Connect())
        {
            after.Send("hi\n");
            Assert.That(after.ReadLine(), Is.EqualTo("v2:hi\n"));
        }

        before.Send("still\n");
        Assert.That(before.ReadLine(), Is.EqualTo("v1:still\n"), "under reload.existing: keep it keeps its plugin");
        Assert.That(unloadChecked.Task.IsCompleted, Is.False, "version 1 is in use");

        before.Dispose(); // Its last client leaves: generation 1 ends, and its plugin unloads.
        Assert.That(unloadChecked.Task.Wait(Patience), Is.True, "generation 1 ended and was checked");
        Assert.That(unloadChecked.Task.Result, Is.Empty, "version 1's load context was collected");
        Assert.That(server.Log.Messages(312), Has.Some.Contains("generation 1 ended"));
    }

    [Test]
    public void Unchanged_plugins_are_shared_by_the_next_generation_rather_than_loaded_again()
    {
        using var server = new RunningServer("pipeline: [uppercase]\n");
        var first = server.Host.Reloader.Running.Plugins.Plugins.ToList();

        ReloadOutcome outcome = server.Reload("pipeline: [reverse]\n");

        Assert.That(outcome.Problems, Is.Empty);
        Assert.That(outcome.Changes, Has.None.Contains("plugin"), "no plugin's files changed");
        Assert.That(server.Host.Reloader.Running.Plugins.Plugins, Is.EqualTo(first).AsCollection, "the same loaded plugins, in the same load contexts");
    }

    /// <summary>Each cycle copies the other version of a plugin over the running one, so that each
    /// generation loads it into a load context of its own, beside a script step.</summary>
    [Test]
    public void Two_hundred_reloads_of_a_rebuilt_plugin_and_a_script_step_leave_memory_load_contexts_and_descriptors_bounded()
    {
        const int Cycles = 200;
        using var plugins = new TempFolder();
        string versioned = Path.Combine(plugins.Path, VersionedPlugin.Name);
        VersionedPlugin.CopyOver(1, versioned);
        plugins.DropPlugin(Path.Combine(TestPaths.SamplePlugins, "Script"), "Script", pluginsFolder: ".");
        string config = $"plugins: {plugins.Path}\npipeline:\n  - versioned\n  - script: 'return message + \"!\";'\n";
        using var server = new RunningServer(config);
        int unloaded = 0;
        var allChecked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stillAlive = new List<string>();
        server.Host.Reloader.UnloadChecked += alive =>
        {
            lock (stillAlive)
            {
                stillAlive.AddRange(alive.Select(plugin => plugin.Name));
            }

            if (Interlocked.Increment(ref unloaded) == Cycles)
            {
                allChecked.TrySetResult();
            }
        };

        Measure(out long rssBefore, out int contextsBefore, out int descriptorsBefore);
        for (int cycle = 1; cycle <= Cycles; cycle++)
        {
            VersionedPlugin.CopyOver(cycle % 2 == 1 ? 2 : 1, versioned);
            ReloadOutcome outcome = server.Reload(config);
            Assert.That(outcome.Problems, Is.Empty, $"reload {cycle}");
            Assert.That(outcome.Changes, Has.Some.Contains("plugin Versioned"), $"reload {cycle} loads the plugin afresh");
        }

        using (TestClient client = server.Connect())
        {
            client.Send("ab\n");
            Assert.That(client.ReadLine(), Is.EqualTo("v1:ab!\n"), "the last reload's plugin serves");
        }

        Assert.That(allChecked.Task.Wait(Patience), Is.True, $"{Volatile.Read(ref unloaded)} of {Cycles} ended generations checked");
        Assert.That(stillAlive, Is.Empty, "every ended generation's plugin was collected");
        Measure(out long rssAfter, out int contextsAfter, out int descriptorsAfter);
        TestContext.Out.WriteLine($"after {Cycles} reloads: RSS {rssBefore >> 20} -> {rssAfter >> 20} MiB, load contexts {contextsBefore} -> {contextsAfter}, descriptors {descriptorsBefore} -> {descriptorsAfter}");
        Assert.That(contextsAfter, Is.LessThanOrEqualTo(contextsBefore), "no load context is left behind");
        Assert.That(descriptorsAfter, Is.LessThanOrEqualTo(descriptorsBefore + 5), "no descriptor is left behind");
        Assert.That(rssAfter - rssBefore, Is.LessThan(100L << 20), "memory comes back to a bound");
    }

    private static void Measure(out long rss, out int contexts, out int descriptors)
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        rss = Environment.WorkingSet;
        contexts = AssemblyLoadContext.All.Count();
        descriptors = OperatingSystem.IsLinux() ? Directory.GetFiles("/proc/self/fd").Length : 0;
    }
}
