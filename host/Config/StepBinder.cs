using PluggableEcho.Host.Errors;
using PluggableEcho.Host.Pipeline;
using PluggableEcho.Host.Plugins;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PluggableEcho.Host.Config;

/// <summary>
/// Checks the configured steps against the loaded plugins and binds and validates each step's
/// options, so that the pipeline is given plain plans. Runs once, off the loops.
/// </summary>
internal static class StepBinder
{
    /// <summary>The first listener's steps: what serves one conversation (check --input, a test case).</summary>
    /// <exception cref="StartupException">Each problem names the step's line and column.</exception>
    public static IReadOnlyList<StepPlan> Bind(ServerSettings settings, PluginSet plugins) => Bind(settings, settings.Listeners[0], plugins);

    /// <summary>Every listener's steps, in the config's order.</summary>
    /// <exception cref="StartupException">Every listener's problems, each at its line and column;
    /// what was not loaded and no problem names, as its warnings.</exception>
    public static IReadOnlyList<IReadOnlyList<StepPlan>> BindAll(ServerSettings settings, PluginSet plugins)
    {
        var plans = new List<IReadOnlyList<StepPlan>>();
        var problems = new List<string>();
        foreach (ListenerSettings listener in settings.Listeners)
        {
            try
            {
                plans.Add(Bind(settings, listener, plugins));
            }
            catch (StartupException e)
            {
                problems.AddRange(e.Problems.Except(problems)); // Inherited steps fail alike in each.
            }
        }

        return problems.Count > 0 ? throw new StartupException(problems) { Warnings = plugins.WarningsBeside(problems) } : plans;
    }

    /// <inheritdoc cref="Bind(ServerSettings, PluginSet)"/>
    public static IReadOnlyList<StepPlan> Bind(ServerSettings settings, ListenerSettings listener, PluginSet plugins)
    {
        var problems = new ConfigProblems(settings.ConfigFile);
        var plans = new List<StepPlan>();
        foreach (StepSettings step in listener.Pipeline)
        {
            if (TransformOf(step, settings, plugins, problems) is not { } transform)
            {
                continue;
            }

            string name = step.Type ?? transform.Name;
            (YamlNode? node, Mark at) = step.Type is null
                ? (StepShorthand.OptionsOf((YamlMappingNode)step.Options!, transform, settings.ConfigFolder), step.Position) // Its mapping is the step.
                : (step.Options, step.Options?.Start ?? step.Position);
            object? options = null;
            if (transform.OptionsType is { } optionsType)
            {
                options = OptionsBinder.Bind(optionsType, node, at, $"step '{name}'", problems);
            }
            else if (node is not null && !YamlValues.IsEmpty(node))
            {
                problems.Add(node.Start, $"transform '{name}' takes no options");
            }

            plans.Add(new StepPlan(name, transform, options, step.OnError ?? listener.OnError, problems.Locate(step.Position)));
        }

        problems.ThrowIfAny();
        return plans;
    }

    private static TransformRegistration? TransformOf(StepSettings step, ServerSettings settings, PluginSet plugins, ConfigProblems problems)
    {
        TransformRegistration? transform;
        string? unknown;
        if (step.Type is { } type)
        {
            unknown = plugins.Transforms.TryGetValue(type, out transform) ? null : type;
        }
        else
        {
            transform = StepShorthand.TransformOf((YamlMappingNode)step.Options!, plugins.Transforms, problems, out unknown);
        }

        if (unknown is null)
        {
            return transform;
        }

        string known = string.Join(", ", plugins.Transforms.Keys.Order(StringComparer.Ordinal));
        known = known.Length > 0 ? known : $"none: {settings.PluginFolder} holds no plugin that loads";
        // Which transforms a plugin that did not load offers is not known: it may be any of them.
        string notLoaded = string.Concat(plugins.NotLoaded.Where(n => n.MayOfferTransforms).Select(n => $"; {n}"));
        if (step.IsDefault)
        {
            problems.AddElsewhere($"{settings.ConfigFile}: the default pipeline [{unknown}] needs a plugin offering '{unknown}' "
                + $"(known: {known}); add one, or name the steps with pipeline:{notLoaded}");
        }
        else
        {
            problems.Add(step.Position, $"unknown transform '{unknown}' (known: {known}){notLoaded}");
        }

        return null;
    }
}
