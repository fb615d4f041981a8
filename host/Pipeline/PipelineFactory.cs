using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Pipeline;

/// <summary>
/// Turns the steps' plans into pipelines. The plans' options are bound and validated already;
/// each call to <see cref="Create"/> builds fresh transform instances, so every event loop owns
/// its own.
/// </summary>
internal sealed class PipelineFactory(IReadOnlyList<StepPlan> plans, ILoggerFactory loggerFactory)
{
    public IReadOnlyList<string> StepNames { get; } = [.. plans.Select(p => p.Registration.Name)];

    /// <exception cref="StartupException">A transform's constructor failed.</exception>
    public TransformPipeline Create()
    {
        var problems = new List<string>();
        var steps = new List<PipelineStep>(plans.Count);
        foreach (StepPlan plan in plans)
        {
            try
            {
                steps.Add(new PipelineStep(plan.Registration.Name, Instantiate(plan), plan.OnError, plan.Location));
            }
            catch (Exception e)
            {
                problems.Add($"{plan.Location}: transform '{plan.Name}' from {plan.Registration.PluginPath} could not be built: {PluginErrors.Describe(e)}");
            }
        }

        var pipeline = new TransformPipeline(steps, loggerFactory.CreateLogger<TransformPipeline>());
        if (problems.Count > 0)
        {
            pipeline.Dispose(); // The steps that were built before one failed.
            throw new StartupException(problems);
        }

        return pipeline;
    }

    /// <summary>With <c>ActivatorUtilities</c>, so that the constructor can take the options, a
    /// logger and the plugin's own services.</summary>
    private static ITransform Instantiate(StepPlan plan)
    {
        object[] arguments = plan.Options is null ? [] : [plan.Options];
        plan.Registration.InitializeType();
        return (ITransform)ActivatorUtilities.CreateInstance(plan.Registration.Services, plan.Registration.TransformType, arguments);
    }
}
