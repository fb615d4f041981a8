using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;

namespace PluggableEcho.Host.Config;

/// <summary>
/// Checks the configured steps against the loaded plugins and binds and validates each step's
/// options, so that the pipeline is given plain plans. Runs once, off the loops.
/// </summary>
internal static class StepBinder
{
    /// <exception cref="StartupException">Each problem names the step's line and column.</exception>
    public static IReadOnlyList<StepPlan> Bind(ServerSettings settings, PluginSet plugins)
    {
        var problems = new ConfigProblems(settings.ConfigFile);
        var plans = new List<StepPlan>();
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

            plans.Add(new StepPlan(step.Type, registration, options, step.OnError ?? settings.OnError, problems.Locate(step.Position)));
        }

        problems.ThrowIfAny();
        return plans;
    }
}
