using PluggableEcho.Host.Observability;
using PluggableEcho.Host.Pipeline;

namespace PluggableEcho.Host;

/// <summary>Builds the loops' pipelines and keeps them in view, for what they count.</summary>
internal sealed class RunningPipelines(PipelineFactory factory, string listener)
{
    private readonly List<TransformPipeline> _created = [];

    public IReadOnlyList<string> StepNames => factory.StepNames;

    /// <summary>Called by each loop's set-up, one thread at a time; read by any.</summary>
    public TransformPipeline Create()
    {
        TransformPipeline pipeline = factory.Create();
        lock (_created)
        {
            _created.Add(pipeline);
        }

        return pipeline;
    }

    public IEnumerable<StepFailures> StepFailures()
    {
        lock (_created)
        {
            return [.. _created.SelectMany(pipeline => pipeline.Failures.Select(f =>
                new StepFailures(listener, f.Step.Name, f.Step.OnError.ToString().ToLowerInvariant(), f.Failures)))];
        }
    }
}
