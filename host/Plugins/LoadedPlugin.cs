using System.Reflection;
using McMaster.NETCore.Plugins;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using PluggableEcho.Abstractions;
using PluggableEcho.Host.Errors;

namespace PluggableEcho.Host.Plugins;

/// <summary>
/// One plugin assembly, <c>&lt;Name&gt;/&lt;Name&gt;.dll</c> or a loose <c>&lt;Name&gt;.dll</c>, loaded
/// into a load context of its own, and the transforms it offers. A plugin keeps its private
/// dependencies; the contract, DI and logging abstractions are the host's, so their types match
/// on both sides. The context is collectible and its assemblies are read into memory, so that a
/// new version can be copied over the files while this one runs, and this one unloaded once
/// disposed (<see cref="UnloadCheck"/> tells whether it was).
/// </summary>
internal sealed class LoadedPlugin : IDisposable
{
    /// <summary>The types whose assemblies every plugin shares with the host.</summary>
    public static readonly Type[] SharedTypes =
        [typeof(ITransformPlugin), typeof(IServiceCollection), typeof(ILogger), typeof(ILoggerFactory)];

    private readonly List<ServiceProvider> _containers;
    private readonly List<TransformRegistration> _transforms;
    private PluginLoader? _loader;
    private PluginCopy? _copy; // The files it was loaded from.
    private int _holders = 1; // The plugin sets that hold it: a reload shares the plugins whose files did not change.

    private LoadedPlugin(
        string assemblyPath, AssemblyName assembly, PluginLoader loader, List<ServiceProvider> containers, List<TransformRegistration> transforms)
    {
        AssemblyPath = assemblyPath;
        Assembly = assembly;
        _loader = loader;
        _containers = containers;
        _transforms = transforms;
        LoadContext = new WeakReference(loader.LoadContext, trackResurrection: true); // Gone only once the unload is complete.
    }

    public string AssemblyPath { get; }

    /// <summary>Its files as they were when it was loaded (<see cref="PluginFiles"/>): a reload
    /// loads it again only if they changed.</summary>
    public string Fingerprint { get; private init; } = "";

    public AssemblyName Assembly { get; }

    /// <summary>Empty once disposed.</summary>
    public IReadOnlyList<TransformRegistration> Transforms => _transforms;

    /// <summary>The plugin's load context, held weakly: alive after <see cref="Dispose"/> only while
    /// something still holds a type, an object or a thread of the plugin.</summary>
    public WeakReference LoadContext { get; }

    /// <summary>What <see cref="UnloadCheck"/> needs to tell, once this is disposed, whether it unloaded.</summary>
    public UnloadingPlugin ForUnloadCheck => new(AssemblyPath, LoadContext);

    /// <summary>The host's assembly of that name, if every plugin shares it with the host.</summary>
    public static Assembly? SharedAssembly(string? name) =>
        SharedTypes.Select(t => t.Assembly).FirstOrDefault(a => a.GetName().Name == name);

    /// <summary>A load context for the plugin, set up the one way the host loads plugins.</summary>
    public static PluginLoader CreateLoader(string assemblyPath) =>
        // Only the assemblies of SharedTypes come from the host; for everything else the plugin's
        // own copy wins, whatever version the host happens to carry.
        PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config =>
        {
            // Collectible, so that a reload can let an old version go. Loaded from files (the
            // plugin's private copy when it serves: PluginCopy), not from memory, so that its
            // precompiled code runs.
            config.IsUnloadable = true;
        });

    /// <param name="assemblyPath">The plugin's own assembly (<see cref="PluginLayout"/> says which):
    /// the folder it is in is where its dependencies are looked for.</param>
    /// <exception cref="PluginLoadException">Says why, starting with the file at fault.</exception>
    public static LoadedPlugin Load(string assemblyPath, ILoggerFactory loggerFactory)
    {
        PluginLoader? loader = null;
        PluginCopy? copy = null;
        var containers = new List<ServiceProvider>();
        try
        {
            copy = PluginCopy.Make(assemblyPath);
            string fingerprint = PluginFiles.Fingerprint(copy.AssemblyPath); // What is loaded: a change since is seen next time.
            loader = CreateLoader(copy.AssemblyPath);
            Assembly assembly = PluginAssembly.Load(loader);
            List<TransformRegistration> transforms = AddTransforms(FindPluginTypes(assembly), assemblyPath, loggerFactory, containers);
            return new LoadedPlugin(assemblyPath, assembly.GetName(), loader, containers, transforms) { Fingerprint = fingerprint, _copy = copy };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Dispose(loader, containers);
            copy?.Dispose();
            throw e is PluginLoadException failed
                ? new PluginLoadException(assemblyPath, failed.Reason)
                // A broken deps.json, say: whatever it is, it is this plugin's problem only.
                : new PluginLoadException(assemblyPath, $"cannot be loaded: {e.GetType().Name}: {e.Message.Trim()}");
        }
    }

    /// <summary>Held by one more plugin set: one a reload made, for this plugin's files did not change.</summary>
    /// <returns>False if it was disposed already, and must be loaded afresh.</returns>
    public bool TryShare()
    {
        int holders = Volatile.Read(ref _holders);
        while (holders > 0)
        {
            int seen = Interlocked.CompareExchange(ref _holders, holders + 1, holders);
            if (seen == holders)
            {
                return true;
            }

            holders = seen;
        }

        return false;
    }

    /// <summary>Lets go of it; the last holder disposes it: <see cref="Dispose"/>.</summary>
    /// <returns>Whether this was the last: the plugin is disposed, its context unloading.</returns>
    public bool Release()
    {
        if (Interlocked.Decrement(ref _holders) != 0)
        {
            return false;
        }

        _transforms.Clear();
        List<Exception> failures = Dispose(_loader, _containers);
        _loader = null;
        _copy?.Dispose();
        return failures.Count == 0 ? true : throw new AggregateException($"{AssemblyPath}: disposing the plugin's services failed", failures);
    }

    /// <summary>Disposes the plugin's containers and unloads its context, once no other plugin set
    /// holds it; drops every reference to them, so that a disposed plugin someone still holds
    /// does not keep the context alive.</summary>
    public void Dispose() => Release();

    /// <summary>Each container, then the load context, whatever the others do.</summary>
    /// <returns>What failed: a plugin service whose disposal threw.</returns>
    private static List<Exception> Dispose(PluginLoader? loader, List<ServiceProvider> containers)
    {
        var failures = new List<Exception>();
        foreach (ServiceProvider container in containers)
        {
            try
            {
                // Asynchronously: a container holding a service that is only IAsyncDisposable
                // refuses a plain Dispose. Plugins are disposed off the event loops.
                container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add(e);
            }
        }

        containers.Clear();
        loader?.Dispose();
        return failures;
    }

    private static List<TransformRegistration> AddTransforms(
        Type[] pluginTypes, string assemblyPath, ILoggerFactory loggerFactory, List<ServiceProvider> containers)
    {
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

    private static Type[] FindPluginTypes(Assembly assembly)
    {
        if (!PluginAssembly.TryGetTypes(assembly, out Type[] types, out string? reason))
        {
            throw new PluginLoadException($"some of its types cannot be loaded, a dependency is probably missing: {reason}");
        }

        Type[] plugins = [.. types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITransformPlugin).IsAssignableFrom(t))];
        if (plugins.Length > 0)
        {
            return plugins;
        }

        string contract = typeof(ITransformPlugin).FullName!;
        (Type impostor, Type copy) = PluginAssembly.LookAlikes(types, [contract]).FirstOrDefault();
        throw new PluginLoadException(impostor is null
            ? $"no class implements {contract}"
            : $"{impostor.FullName} implements {contract} from its own copy of {copy.Assembly.GetName().Name}, "
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
            throw new PluginLoadException($"{pluginType.FullName} {member} threw {PluginErrors.Describe(e)}");
        }
    }

    private static void Call(Type pluginType, string member, Action call) =>
        Call<bool>(pluginType, member, () => { call(); return true; });
}

/// <summary>Why a plugin cannot be loaded, phrased for the user.</summary>
internal sealed class PluginLoadException : Exception
{
    public PluginLoadException(string reason)
        : base(reason)
    {
        Reason = reason;
    }

    /// <summary>The message is "path: reason".</summary>
    public PluginLoadException(string path, string reason)
        : base($"{path}: {reason}")
    {
        Reason = reason;
    }

    /// <summary>Why, without the file.</summary>
    public string Reason { get; }
}
