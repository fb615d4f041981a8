using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Host.Plugins;

/// <summary>
/// The plugins of one folder, each <c>&lt;Name&gt;/&lt;Name&gt;.dll</c> loaded into a load context
/// of its own, and the transforms they offer by name. A plugin keeps its private dependencies;
/// the contract, DI and logging abstractions are the host's, so their types match on both sides.
/// </summary>
internal sealed class PluginSet : IDisposable
{
    private static readonly Type[] SharedTypes =
        [typeof(ITransformPlugin), typeof(IServiceCollection), typeof(ILogger), typeof(ILoggerFactory)];

    private readonly List<PluginLoader> _loaders;
    private readonly List<ServiceProvider> _containers;

    private PluginSet(
        Dictionary<string, TransformRegistration> transforms, List<PluginLoader> loaders, List<ServiceProvider> containers)
    {
        Transforms = transforms;
        _loaders = loaders;
        _containers = containers;
    }

    public IReadOnlyDictionary<string, TransformRegistration> Transforms { get; }

    /// <exception cref="StartupException">A plugin cannot be loaded; each problem names its file.</exception>
    public static PluginSet Load(string folder, ILoggerFactory loggerFactory)
    {
        var problems = new List<string>();
        var transforms = new Dictionary<string, TransformRegistration>(StringComparer.OrdinalIgnoreCase);
        var loaders = new List<PluginLoader>();
        var containers = new List<ServiceProvider>();

        foreach (string pluginFolder in Directory.GetDirectories(folder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(pluginFolder);
            if (name.StartsWith('.'))
            {
                continue;
            }

            string assemblyPath = Path.Combine(pluginFolder, name + ".dll");
            if (!File.Exists(assemblyPath))
            {
                problems.Add($"{pluginFolder}: a plugin folder must hold {name}.dll (plugins/<Name>/<Name>.dll)");
                continue;
            }

            try
            {
                // Only the assemblies of SharedTypes come from the host; for everything else the
                // plugin's own copy wins, whatever version the host happens to carry.
                var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes);
                loaders.Add(loader);
                foreach (TransformRegistration registration in LoadPlugin(loader, assemblyPath, loggerFactory, containers))
                {
                    if (!transforms.TryAdd(registration.Name, registration))
                    {
                        problems.Add($"{assemblyPath}: transform '{registration.Name}' is also offered by {transforms[registration.Name].PluginPath}");
                    }
                }
            }
            catch (PluginException e)
            {
                problems.Add($"{assemblyPath}: {e.Message}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A broken deps.json, say: whatever it is, it is this plugin's problem only.
                problems.Add($"{assemblyPath}: cannot be loaded: {e.GetType().Name}: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            Dispose(loaders, containers);
            throw new StartupException(problems);
        }

        return new PluginSet(transforms, loaders, containers);
    }

    public void Dispose() => Dispose(_loaders, _containers);

    private static void Dispose(List<PluginLoader> loaders, List<ServiceProvider> containers)
    {
        containers.ForEach(c => c.Dispose());
        loaders.ForEach(l => l.Dispose());
    }

    private static List<TransformRegistration> LoadPlugin(
        PluginLoader loader, string assemblyPath, ILoggerFactory loggerFactory, List<ServiceProvider> containers)
    {
        Type[] pluginTypes = FindPluginTypes(LoadAssembly(loader));
        var registrations = new List<TransformRegistration>();
        foreach (Type pluginType in pluginTypes)
        {
            ITransformPlugin plugin = Call(pluginType, "constructor", () => (ITransformPlugin)Activator.CreateInstance(pluginType)!);

            var services = new ServiceCollection();
            services.AddSingleton(loggerFactory);
            services.TryAdd(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(Logger<>)));
            Call(pluginType, nameof(ITransformPlugin.ConfigureServices), () => plugin.ConfigureServices(services));
            ServiceProvider container = services.BuildServiceProvider();
            containers.Add(container);

            var catalog = new TransformCatalog(assemblyPath, container);
            Call(pluginType, nameof(ITransformPlugin.AddTransforms), () => plugin.AddTransforms(catalog));
            registrations.AddRange(catalog.Added);
        }

        return registrations;
    }

    private static Assembly LoadAssembly(PluginLoader loader)
    {
        try
        {
            return loader.LoadDefaultAssembly();
        }
        catch (BadImageFormatException)
        {
            throw new PluginException("not a .NET assembly (or built for a runtime this host cannot load)");
        }
        catch (Exception e) when (e is FileLoadException or FileNotFoundException)
        {
            throw new PluginException($"cannot be loaded: {e.Message}");
        }
    }

    private static Type[] FindPluginTypes(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            string? reason = e.LoaderExceptions.FirstOrDefault(x => x is not null)?.Message;
            throw new PluginException($"some of its types cannot be loaded, a dependency is probably missing: {reason}");
        }

        Type[] plugins = [.. types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITransformPlugin).IsAssignableFrom(t))];
        if (plugins.Length > 0)
        {
            return plugins;
        }

        string contract = typeof(ITransformPlugin).FullName!;
        Type? impostor = types.FirstOrDefault(t => t.GetInterfaces().Any(i => i.FullName == contract));
        throw new PluginException(impostor is null
            ? $"no class implements {contract}"
            : $"{impostor.FullName} implements {contract} from its own copy of {impostor.GetInterfaces().First(i => i.FullName == contract).Assembly.GetName().Name}, "
              + "not the host's; reference the abstractions with Private=\"false\" and ExcludeAssets=\"runtime\" and remove the copy from the plugin folder");
    }

    private static T Call<T>(Type pluginType, string member, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception e)
        {
            throw new PluginException($"{pluginType.FullName} {member} threw {PluginErrors.Describe(e)}");
        }
    }

    private static void Call(Type pluginType, string member, Action call) =>
        Call<bool>(pluginType, member, () => { call(); return true; });

    private sealed class PluginException(string message) : Exception(message);
}
