using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.Versioning;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.Logging.Abstractions;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Plugins;

/// <summary>What <see cref="PluginDoctor"/> found in one plugin folder.</summary>
/// <param name="Errors">What will break at run time.</param>
/// <param name="Warnings">What works here, but by luck or only with this host.</param>
internal sealed record PluginDiagnosis(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings);

/// <summary>
/// Examines one plugin folder on its own and says what will break at run time, and why: a
/// contract of another major version, a private copy of an assembly the host shares, a target
/// framework this runtime cannot load, dependencies nowhere to be found, types that look like the
/// contract's but are not the host's. Then it loads the plugin as the server would.
/// </summary>
internal static class PluginDoctor
{
    private static readonly string[] ContractTypes =
        [typeof(ITransform).FullName!, typeof(ITransformPlugin).FullName!, typeof(ITransformCatalog).FullName!];

    public static PluginDiagnosis Examine(string pluginFolder)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        string assemblyPath = LoadedPlugin.AssemblyPathOf(pluginFolder);
        if (File.Exists(assemblyPath) && ReadMetadata(assemblyPath, errors) is { } metadata)
        {
            CheckTargetFramework(metadata.TargetFramework, errors, warnings);
            CheckSharedReferences(metadata.References, errors, warnings);
            CheckPrivateCopies(pluginFolder, errors, warnings);
            CheckDependenciesAndTypes(assemblyPath, metadata.References, errors);
        }

        try
        {
            using LoadedPlugin loaded = LoadedPlugin.Load(pluginFolder, NullLoggerFactory.Instance);
            CheckTypesInitialize(loaded, errors);
        }
        catch (PluginLoadException e)
        {
            errors.Add($"loading it as the server would: {e.Message}");
        }

        return new PluginDiagnosis(errors.Distinct().ToList(), warnings);
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

    private sealed record Metadata(string? TargetFramework, IReadOnlyList<AssemblyName> References);

    /// <summary>Reads the assembly's metadata without loading it, so even one that cannot be
    /// loaded can say what it was built for and against.</summary>
    private static Metadata? ReadMetadata(string assemblyPath, List<string> errors)
    {
        try
        {
            using var pe = new PEReader(File.OpenRead(assemblyPath));
            if (!pe.HasMetadata)
            {
                errors.Add("not a .NET assembly: it has no .NET metadata (a native library?)");
                return null;
            }

            MetadataReader reader = pe.GetMetadataReader();
            AssemblyName[] references = [.. reader.AssemblyReferences.Select(h => reader.GetAssemblyReference(h).GetAssemblyName())];
            return new Metadata(TargetFrameworkOf(reader), references);
        }
        catch (BadImageFormatException e)
        {
            errors.Add($"not a .NET assembly: {e.Message}");
            return null;
        }
    }

    private static string? TargetFrameworkOf(MetadataReader reader)
    {
        foreach (CustomAttributeHandle handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute attribute = reader.GetCustomAttribute(handle);
            if (attribute.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            MemberReference constructor = reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor);
            if (constructor.Parent.Kind == HandleKind.TypeReference
                && reader.GetString(reader.GetTypeReference((TypeReferenceHandle)constructor.Parent).Name) == nameof(TargetFrameworkAttribute))
            {
                BlobReader value = reader.GetBlobReader(attribute.Value);
                return value.ReadUInt16() == 1 ? value.ReadSerializedString() : null; // 1: the blob's prolog.
            }
        }

        return null;
    }

    private static void CheckTargetFramework(string? targetFramework, List<string> errors, List<string> warnings)
    {
        if (targetFramework is null)
        {
            warnings.Add("it does not say which framework it was built for");
            return;
        }

        FrameworkName framework;
        try
        {
            framework = new FrameworkName(targetFramework);
        }
        catch (ArgumentException)
        {
            warnings.Add($"its target framework '{targetFramework}' is not one this host knows");
            return;
        }

        var runtime = new Version(Environment.Version.Major, Environment.Version.Minor);
        switch (framework.Identifier)
        {
            case ".NETCoreApp" when framework.Version > runtime:
                errors.Add($"built for .NET {framework.Version}, but this host runs on .NET {runtime}: build it for net{runtime} or run a newer host");
                break;
            case ".NETFramework":
                errors.Add($"built for .NET Framework {framework.Version}, which this host (.NET {runtime}) cannot load: build it for net{runtime}");
                break;
            case ".NETCoreApp" or ".NETStandard":
                break;
            default:
                warnings.Add($"built for {targetFramework}, which this host (.NET {runtime}) may not load");
                break;
        }
    }

    /// <summary>The contract and the DI and logging abstractions come from the host: the versions
    /// the plugin was built against must be ones the host's can stand in for.</summary>
    private static void CheckSharedReferences(IReadOnlyList<AssemblyName> references, List<string> errors, List<string> warnings)
    {
        foreach (AssemblyName reference in references)
        {
            if (SharedAssembly(reference.Name) is not { } hosts || reference.Version is not { } wanted)
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
        using PluginLoader loader = LoadedPlugin.CreateLoader(assemblyPath);
        foreach (AssemblyName reference in references.Where(r => SharedAssembly(r.Name) is null)) // Those are checked above.
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

    private static Assembly? SharedAssembly(string? name) =>
        LoadedPlugin.SharedTypes.Select(t => t.Assembly).FirstOrDefault(a => a.GetName().Name == name);

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
