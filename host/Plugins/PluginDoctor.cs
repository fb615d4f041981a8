using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Plugins;

/// <summary>What <see cref="PluginDoctor"/> found in one plugin.</summary>
/// <param name="Errors">What will break at run time, found by examining it.</param>
/// <param name="Warnings">What works here, but by luck or only with this host.</param>
/// <param name="LoadError">What loading it as the server would said; null when it loaded, or
/// when it is no assembly to load.</param>
internal sealed record PluginDiagnosis(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, string? LoadError)
{
    /// <summary>Every error, the load's last, as <c>plugins --verify</c> lists them.</summary>
    public IEnumerable<string> AllErrors => LoadError is null ? Errors : [.. Errors, $"loading it as the server would: {LoadError}"];

    /// <summary>Why it fails, in one line, as <c>check</c> and <c>run</c> say it: the causes
    /// found, then what loading it said.</summary>
    public string Explanation => string.Join("; ", LoadError is null ? Errors : [.. Errors, LoadError]);
}

/// <summary>
/// Examines one plugin on its own and says what will break at run time, and why: a contract of
/// another major version, a private copy of an assembly the host shares, a target framework this
/// runtime cannot load, dependencies nowhere to be found, types that look like the contract's but
/// are not the host's. Then it loads the plugin as the server would. <c>plugins --verify</c> lists
/// what it finds; <c>check</c> and <c>run</c> say its <see cref="PluginDiagnosis.Explanation"/>
/// of a plugin that fails to load.
/// </summary>
internal static class PluginDoctor
{
    private static readonly string[] ContractTypes =
        [typeof(ITransform).FullName!, typeof(ITransformPlugin).FullName!, typeof(ITransformCatalog).FullName!];

    /// <param name="assemblyPath">The plugin's own assembly; its folder is where its dependencies are.</param>
    public static PluginDiagnosis Examine(string assemblyPath)
    {
        if (!AssemblyFacts.TryRead(assemblyPath, out AssemblyFacts? facts, out string? notAnAssembly))
        {
            return new PluginDiagnosis([notAnAssembly], [], LoadError: null); // Loading it would fail for the same reason.
        }

        var errors = new List<string>();
        var warnings = new List<string>();
        TargetFrameworks.Check(facts.TargetFramework, errors, warnings);
        CheckSharedReferences(facts.References, errors, warnings);
        CheckPrivateCopies(Path.GetDirectoryName(assemblyPath)!, errors, warnings);
        CheckDependenciesAndTypes(assemblyPath, facts.References, errors);

        string? loadError = null;
        try
        {
            using LoadedPlugin loaded = LoadedPlugin.Load(assemblyPath, NullLoggerFactory.Instance);
            CheckTypesInitialize(loaded, errors);
        }
        catch (PluginLoadException e)
        {
            loadError = e.Reason;
        }

        return new PluginDiagnosis([.. errors.Distinct()], warnings, loadError);
    }

    /// <summary>Each transform's static initialisers, as building a pipeline runs them.</summary>
    private static void CheckTypesInitialize(LoadedPlugin plugin, List<string> errors)
    {
        foreach (TransformRegistration transform in plugin.Transforms)
        {
            try
            {
                transform.InitializeType();
            }
            catch (TypeInitializationException e)
            {
                errors.Add($"transform '{transform.Name}' ({transform.TransformType.FullName}) cannot be built: {PluginErrors.Describe(e)}");
            }
        }
    }

    /// <summary>The contract and the DI and logging abstractions come from the host: the versions
    /// the plugin was built against must be ones the host's can stand in for.</summary>
    private static void CheckSharedReferences(IReadOnlyList<AssemblyName> references, List<string> errors, List<string> warnings)
    {
        foreach (AssemblyName reference in references)
        {
            if (LoadedPlugin.SharedAssembly(reference.Name) is not { } hosts || reference.Version is not { } wanted)
            {
                continue;
            }

            Version provided = hosts.GetName().Version!;
            if (hosts == PluginAssembly.Contract && wanted.Major != provided.Major)
            {
                errors.Add($"built against {reference.Name} {wanted}, but this host provides {provided}: a different major version of the contract; "
                    + $"rebuild the plugin against {reference.Name} {provided.Major}.x");
            }
            else if (wanted > provided)
            {
                errors.Add($"built against {reference.Name} {wanted}, newer than the host's {provided}, which the plugin must share: it cannot be loaded");
            }
            else if (wanted.Major != provided.Major)
            {
                warnings.Add($"built against {reference.Name} {wanted}; the host's {provided} stands in for it, a different major version");
            }
        }
    }

    /// <summary>A private copy of a shared assembly is never used: its types would not be the host's.</summary>
    private static void CheckPrivateCopies(string pluginFolder, List<string> errors, List<string> warnings)
    {
        foreach (Assembly shared in LoadedPlugin.SharedTypes.Select(t => t.Assembly).Distinct())
        {
            string name = shared.GetName().Name!;
            string copy = Path.Combine(pluginFolder, name + ".dll");
            if (!File.Exists(copy))
            {
                continue;
            }

            Version? copied = AssemblyVersionOf(copy);
            Version provided = shared.GetName().Version!;
            string problem = $"carries its own {name}.dll ({copied?.ToString() ?? "not an assembly"}); the host's {provided} is used in its place, "
                + "since a second copy would make types the host does not know; remove it (reference it with Private=\"false\" ExcludeAssets=\"runtime\")";
            (copied is null || copied.Major != provided.Major ? errors : warnings).Add(problem);
        }
    }

    /// <summary>Loads the plugin in a context of its own to find what the loader cannot resolve and
    /// which types implement a contract that only looks like the host's.</summary>
    private static void CheckDependenciesAndTypes(string assemblyPath, IReadOnlyList<AssemblyName> references, List<string> errors)
    {
        using PluginLoader? loader = TryCreateLoader(assemblyPath);
        if (loader is null)
        {
            return; // A deps.json that cannot be read, say: loading it as the server would says why.
        }

        foreach (AssemblyName reference in references.Where(r => LoadedPlugin.SharedAssembly(r.Name) is null)) // Those are checked above.
        {
            try
            {
                loader.LoadAssembly(reference);
            }
            catch (FileNotFoundException)
            {
                errors.Add($"needs {reference.Name} {reference.Version}, which is neither in its folder (nor its deps.json) nor in the host");
            }
            catch (Exception e) when (e is FileLoadException or BadImageFormatException)
            {
                errors.Add($"needs {reference.Name} {reference.Version}, which cannot be loaded: {e.Message.Trim()}");
            }
        }

        Assembly assembly;
        try
        {
            assembly = PluginAssembly.Load(loader);
        }
        catch (PluginLoadException)
        {
            return; // Loading it as the server would says why.
        }

        _ = PluginAssembly.TryGetTypes(assembly, out Type[] types, out _); // Those that load are enough to look at.
        foreach ((Type type, Type contract) in PluginAssembly.LookAlikes(types, ContractTypes))
        {
            errors.Add($"{type.FullName} implements {contract.FullName} from {contract.Assembly.GetName().Name} {contract.Assembly.GetName().Version}, "
                + $"which only looks like the host's contract ({PluginAssembly.Contract.GetName().Name} {PluginAssembly.Contract.GetName().Version}): the host will not see it");
        }
    }

    private static PluginLoader? TryCreateLoader(string assemblyPath)
    {
        try
        {
            return LoadedPlugin.CreateLoader(assemblyPath);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static Version? AssemblyVersionOf(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path).Version;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
    }
}
