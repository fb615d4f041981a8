using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Tests.Support;

/// <summary>Pipelines built from YAML as the host builds them, run on text.</summary>
internal static class TestPipelines
{
    /// <param name="folder">Where the config is written as <c>echo.yaml</c>.</param>
    /// <param name="plugins">By default the test run's, loaded once.</param>
    public static TransformPipeline Build(TempFolder folder, string yaml, PluginSet? plugins = null)
    {
        plugins ??= Transforms.Plugins;
        ServerSettings settings = ConfigLoader.Load(folder.Write("echo.yaml", yaml), AllPlugins.Folder);
        return new PipelineFactory(StepBinder.Bind(settings, plugins), NullLoggerFactory.Instance).Create();
    }

    /// <summary>The reply to one message, as text; a dropped message gives null.</summary>
    public static string? Run(TransformPipeline pipeline, string message, PipelineSession? session = null)
    {
        var reply = new ByteBuffer();
        MessageOutcome outcome = pipeline.Run(Encoding.UTF8.GetBytes(message), reply, session ?? PipelineSession.None);
        return outcome == MessageOutcome.Drop ? null : Encoding.UTF8.GetString(reply.WrittenSpan);
    }
}
