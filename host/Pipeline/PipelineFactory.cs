using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Config;
using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host.Pipeline;

/// <summary>
/// Turns the configured steps into pipelines. Options are bound and validated once; each call to
/// <see cref="Create"/> builds fresh transform instances, so every event loop owns its own.
/// </summary>
internal sealed class PipelineFactory
{
    private readonly StepRecipe[] _recipes;
    private readonly ILoggerFactory _loggerFactory;
    private readonly string _configFile;

    private PipelineFactory(StepRecipe[] recipes, ILoggerFactory loggerFactory, string configFile)
    {
        _recipes = recipes;
        _loggerFactory = loggerFactory;
        _configFile = configFile;
        StepNames = [.. recipes.Select(r => r.Registration.Name)];
    }

    /// <summary>Checks every step against the plugins and binds and validates its options.</summary>
    /// <exception cref="StartupException">Each problem names the step's line and column.</exception>
    public static PipelineFactory Build(ServerSettings settings, PluginSet plugins, ILoggerFactory loggerFactory)
    {
        var problems = new ConfigProblems(settings.ConfigFile);
        var recipes = new List<StepRecipe>();
        foreach (StepSettings step in settings.Pipeline)
        {
            if (!plugins.Transforms.TryGetValue(step.Type, out TransformRegistration? registration))
            {
                string known = string.Join(", ", plugins.Transforms.Keys.Order(StringComparer.Ordinal));
                known = known.Length > 0 ? known : $"none: {settings.PluginFolder} holds no plugins";
                if (step.IsDefault)
                {
                    problems.AddElsewhere($"{settings.ConfigFile}: the default pipeline [{step.Type}] needs a plugin offering '{step.Type}' "
                        + $"(known: {known}); add one, or name the steps with pipeline:");
                }
                else
                {
                    problems.Add(step.Position, $"unknown transform '{step.Type}' (known: {known})");
                }

                continue;
            }

            object? options = null;
            if (registration.OptionsType is { } optionsType)
            {
                options = OptionsBinder.Bind(optionsType, step.Options, step.Position, $"step '{step.Type}'", problems);
            }
            else if (step.Options is not null && !YamlValues.IsEmpty(step.Options))
            {
                problems.Add(step.Options.Start, $"transform '{step.Type}' takes no options");
            }

            recipes.Add(new StepRecipe(step, registration, options, step.OnError ?? settings.OnError));
        }

        problems.ThrowIfAny();
        return new PipelineFactory([.. recipes], loggerFactory, settings.ConfigFile);
    }

    public IReadOnlyList<string> StepNames { get; }

    /// <exception cref="StartupException">A transform's constructor failed.</exception>
    public TransformPipeline Create()
    {
        var problems = new ConfigProblems(_configFile);
        var steps = new List<PipelineStep>(_recipes.Length);
        foreach (StepRecipe recipe in _recipes)
        {
            try
            {
                steps.Add(new PipelineStep(recipe.Registration.Name, recipe.Instantiate(), recipe.OnError));
            }
            catch (Exception e)
            {
                problems.Add(recipe.Step.Position,
                    $"transform '{recipe.Step.Type}' from {recipe.Registration.PluginPath} could not be built: {PluginErrors.Describe(e)}");
            }
        }

        var pipeline = new TransformPipeline(steps, _loggerFactory.CreateLogger<TransformPipeline>());
        if (problems.Any)
        {
            pipeline.Dispose(); // The steps that were built before one failed.
            problems.ThrowIfAny();
        }

        return pipeline;
    }

    private sealed record StepRecipe(StepSettings Step, TransformRegistration Registration, object? Options, ErrorPolicy OnError)
    {
        public ITransform Instantiate()
        {
            object[] arguments = Options is null ? [] : [Options];
            return (ITransform)ActivatorUtilities.CreateInstance(Registration.Services, Registration.TransformType, arguments);
        }
    }
}
