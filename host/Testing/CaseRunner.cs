using Microsoft.Extensions.Logging;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host.Testing;

/// <summary>How one case went: passed, or why not, in lines ready to print.</summary>
internal sealed record CaseResult(TranscriptCase Case, bool Passed, IReadOnlyList<string> Details);

/// <summary>
/// Runs transcript cases through the real framer and pipeline, in process. Each plugins folder is
/// loaded once for all the cases that use it; each case gets a pipeline of its own.
/// </summary>
internal sealed class CaseRunner(ILoggerFactory logging, string defaultPluginFolder) : IDisposable
{
    private readonly Dictionary<string, PluginSet> _plugins = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StartupException> _brokenPlugins = new(StringComparer.Ordinal);

    public CaseResult Run(TranscriptCase test)
    {
        try
        {
            ServerSettings settings = test.ConfigPath is { } path
                ? ConfigLoader.Load(path, defaultPluginFolder)
                : ConfigLoader.Load(test.InlineConfig, test.File, defaultPluginFolder);
            using TransformPipeline pipeline = new PipelineFactory(StepBinder.Bind(settings, PluginsIn(settings.PluginFolder)), logging).Create();
            byte[] reply = Transcript.Run(settings, pipeline, test.Send, logging.CreateLogger("test"));
            return reply.AsSpan().SequenceEqual(test.Expect)
                ? new CaseResult(test, true, [])
                : new CaseResult(test, false, Difference(test.Expect, reply));
        }
        catch (StartupException e)
        {
            return new CaseResult(test, false, [.. e.Problems.Select(p => $"error: {p}")]);
        }
    }

    public void Dispose()
    {
        foreach (PluginSet plugins in _plugins.Values)
        {
            plugins.Dispose();
        }
    }

    private PluginSet PluginsIn(string folder)
    {
        if (_plugins.TryGetValue(folder, out PluginSet? loaded))
        {
            return loaded;
        }

        if (_brokenPlugins.TryGetValue(folder, out StartupException? broken))
        {
            throw broken;
        }

        try
        {
            return _plugins[folder] = PluginSet.Load(folder, logging);
        }
        catch (StartupException e)
        {
            _brokenPlugins[folder] = e;
            throw;
        }
    }

    private static List<string> Difference(byte[] expected, byte[] got)
    {
        int at = 0;
        while (at < expected.Length && at < got.Length && expected[at] == got[at])
        {
            at++;
        }

        return
        [
            $"expected: {ShownBytes.Show(expected)}",
            $"got:      {ShownBytes.Show(got)}",
            $"first difference at byte {at}",
        ];
    }
}
