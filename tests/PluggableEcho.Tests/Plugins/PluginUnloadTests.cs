using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Plugins;

/// <summary>
/// Disposed plugins unload: once the pipelines built from a plugin set and the set itself are
/// disposed, nothing the host keeps (binders, activators, loggers, the pipeline) holds a load
/// context alive. Loading and using happen in methods of their own, so that no local of the test
/// itself holds anything but weak references.
/// </summary>
public sealed class PluginUnloadTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static readonly string[] EveryStepsPlugin = ["Uppercase", "Reverse", "Rot13", "Caesar", "Script"];

    private TempFolder _folder = null!;
    private CapturedLog _log = null!;
    private ILoggerFactory _logging = null!;

    [SetUp]
    public void DropPlugins()
    {
        _folder = new TempFolder();
        _folder.DropAllPlugins();
        _log = new CapturedLog();
        _logging = LoggerFactory.Create(logging => logging.AddProvider(_log).SetMinimumLevel(LogLevel.Trace)); // Outlives the plugins, as the host's does.
    }

    [TearDown]
    public void RemoveFolder()
    {
        _logging.Dispose();
        _log.Dispose();
        _folder.Dispose();
    }

    private string PluginsFolder => Path.Combine(_folder.Path, "plugins");

    [Test]
    public async Task A_pipeline_of_every_kind_of_step_built_used_and_disposed_lets_every_plugins_context_go()
    {
        IReadOnlyList<UnloadingPlugin> unloading = BuildUseAndDispose(out IReadOnlyList<string?> replies);

        Assert.That(replies, Is.EqualTo(new[] { "UTS 1", "UTS 2", "UTS 3" }), "each step ran, the script with its connection's state");
        Assert.That(unloading.Select(p => p.Name), Is.SupersetOf(EveryStepsPlugin));
        IReadOnlyList<UnloadingPlugin> alive = await UnloadCheck.StillAliveAfterAsync(unloading, Bound);
        Assert.That(alive.Select(p => p.AssemblyPath), Is.Empty, $"still alive {Bound.TotalSeconds} s after the plugin set was disposed");
    }

    [Test]
    public async Task The_check_names_a_plugin_something_still_holds_logs_it_and_sees_it_go_once_let_go()
    {
        var held = new StrongBox<Type?>();
        IReadOnlyList<UnloadingPlugin> unloading = LoadAndDispose(held, "rot13");
        TimeSpan shortBound = TimeSpan.FromMilliseconds(500);

        IReadOnlyList<UnloadingPlugin> alive = await UnloadCheck.StillAliveAfterAsync(unloading.Where(p => p.Name == "Rot13").ToList(), shortBound);
        UnloadCheck.Report(_logging.CreateLogger("reload"), alive, shortBound);

        Assert.That(alive.Select(p => p.Name), Is.EqualTo(new[] { "Rot13" }), "a type of the plugin is still held");
        Assert.That(_log.Messages(313), Is.EqualTo(new[]
        {
            "plugin Rot13's load context is still alive 0.5 s after unload: likely a thread, timer or static event it started, "
                + $"or an object of it the host still holds ({Path.Combine(PluginsFolder, "Rot13", "Rot13.dll")})",
        }));

        held.Value = null;
        Assert.That(await UnloadCheck.StillAliveAfterAsync(unloading, Bound), Is.Empty);
    }

    [Test]
    public void A_disposed_plugin_set_holds_neither_transforms_nor_plugins()
    {
        PluginSet plugins = PluginSet.Load(PluginsFolder, _logging);
        LoadedPlugin plugin = plugins.Plugins[0];

        plugins.Dispose();

        Assert.That(plugins.Transforms, Is.Empty);
        Assert.That(plugins.Plugins, Is.Empty);
        Assert.That(plugin.Transforms, Is.Empty);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private IReadOnlyList<UnloadingPlugin> BuildUseAndDispose(out IReadOnlyList<string?> replies)
    {
        const string Yaml = """
            pipeline:
              - uppercase
              - reverse
              - rot13
              - type: caesar
                options: { shift: 5 }
              - script: "state.n = (state.n || 0) + 1; return message + ' ' + state.n;"
            """;
        using PluginSet plugins = PluginSet.Load(PluginsFolder, _logging);
        ServerSettings settings = ConfigLoader.Load(_folder.Write("echo.yaml", Yaml), PluginsFolder);
        using TransformPipeline pipeline = new PipelineFactory(StepBinder.Bind(settings, plugins), _logging).Create();
        using (PipelineSession session = pipeline.OpenSession(null))
        {
            replies = [.. Enumerable.Range(0, 3).Select(_ => TestPipelines.Run(pipeline, "abc", session))];
        }

        return plugins.ForUnloadCheck; // The pipeline, then the plugins, are disposed on the way out.
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private IReadOnlyList<UnloadingPlugin> LoadAndDispose(StrongBox<Type?> held, string transform)
    {
        using PluginSet plugins = PluginSet.Load(PluginsFolder, _logging);
        held.Value = plugins.Transforms[transform].TransformType;
        return plugins.ForUnloadCheck;
    }
}
