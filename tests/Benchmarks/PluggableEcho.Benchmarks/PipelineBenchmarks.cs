using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Benchmarks;

/// <summary>
/// One line through a built pipeline, as an event loop runs it: a compiled step against script
/// steps, so that what a script costs per message shows as a ratio. The script steps run twice: on
/// the same line every time, and on lines that differ (the script step keeps the text of a short line
/// that repeats the one before).
/// </summary>
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    private static readonly byte[] Message = "the quick brown fox jumps over the lazy dog"u8.ToArray();

    // As long as Message, each different from the one before.
    private static readonly byte[][] Lines = [.. Enumerable.Range(0, 1024).Select(i => Encoding.ASCII.GetBytes($"the quick brown fox jumps over the lazy {i:D3}"))];

    private readonly ByteBuffer _reply = new();
    private readonly List<IDisposable> _owned = [];
    private int _next;
    private string _folder = "";
    private PluginSet _plugins = null!;
    private (TransformPipeline Pipeline, PipelineSession Session) _uppercase;
    private (TransformPipeline Pipeline, PipelineSession Session) _script;
    private (TransformPipeline Pipeline, PipelineSession Session) _statefulScript;

    [GlobalSetup]
    public void Build()
    {
        _folder = Directory.CreateTempSubdirectory("pluggable-echo-benchmarks-").FullName;
        _plugins = PluginSet.Load(SamplePlugins.Folder, NullLoggerFactory.Instance);
        _uppercase = Build("pipeline: [uppercase]\n");
        _script = Build("""
            pipeline:
              - script: |
                  return message.split(' ').reverse().join(' ');
            """);
        _statefulScript = Build("""
            pipeline:
              - script: |
                  state.count = (state.count || 0) + 1;
                  return state.count + ' ' + message;
            """);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _owned.ForEach(o => o.Dispose());
        _plugins.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "[uppercase]")]
    public int Uppercase() => Run(_uppercase);

    [Benchmark(Description = "[script] reverse the words")]
    public int Script() => Run(_script);

    [Benchmark(Description = "[script] count in state")]
    public int StatefulScript() => Run(_statefulScript);

    [Benchmark(Description = "[script] reverse the words, lines that differ")]
    public int ScriptOnNewLines() => Run(_script, NextLine());

    [Benchmark(Description = "[script] count in state, lines that differ")]
    public int StatefulScriptOnNewLines() => Run(_statefulScript, NextLine());

    private byte[] NextLine() => Lines[_next++ & (Lines.Length - 1)];

    private int Run((TransformPipeline Pipeline, PipelineSession Session) built, byte[]? message = null)
    {
        _reply.Clear();
        _ = built.Pipeline.Run(message ?? Message, _reply, built.Session);
        return _reply.Length;
    }

    private (TransformPipeline, PipelineSession) Build(string yaml)
    {
        string config = Path.Combine(_folder, "echo.yaml");
        File.WriteAllText(config, yaml);
        TransformPipeline pipeline = new PipelineFactory(StepBinder.Bind(ConfigLoader.Load(config, SamplePlugins.Folder), _plugins), NullLoggerFactory.Instance).Create();
        PipelineSession session = pipeline.OpenSession(null);
        _owned.Add(session);
        _owned.Add(pipeline);
        return (pipeline, session);
    }
}
