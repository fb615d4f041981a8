using PluggableEcho.Abstractions;

namespace Example.Tests;

/// <summary>Stands in for the host's catalog: keeps the names a plugin offers.</summary>
internal sealed class RecordingCatalog : ITransformCatalog
{
    public List<string> Names { get; } = [];

    public ITransformCatalog Add<TTransform>(string name)
        where TTransform : class, ITransform
    {
        Names.Add(name);
        return this;
    }

    public ITransformCatalog Add<TTransform, TOptions>(string name)
        where TTransform : class, ITransform
        where TOptions : class, new()
    {
        Names.Add(name);
        return this;
    }
}
