using PluggableEcho.Abstractions;

namespace PluggableEcho.Host.Plugins;

/// <summary>What one plugin's <see cref="ITransformPlugin.AddTransforms"/> offers, as registrations.</summary>
internal sealed class TransformCatalog(string pluginPath, IServiceProvider services) : ITransformCatalog
{
    public List<TransformRegistration> Added { get; } = [];

    public ITransformCatalog Add<TTransform>(string name)
        where TTransform : class, ITransform => Add(name, typeof(TTransform), null);

    public ITransformCatalog Add<TTransform, TOptions>(string name)
        where TTransform : class, ITransform
        where TOptions : class, new() => Add(name, typeof(TTransform), typeof(TOptions));

    private TransformCatalog Add(string name, Type transformType, Type? optionsType)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace))
        {
            throw new ArgumentException($"'{name}' is not a usable transform name (it must be non-empty, without spaces)", nameof(name));
        }

        Added.Add(new TransformRegistration(name, transformType, optionsType, pluginPath, services));
        return this;
    }
}
