using PluggableEcho.Abstractions;

namespace Example;

/// <summary>What the host finds in this assembly: the transforms it offers, by the names pipelines use.</summary>
public sealed class ExamplePlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) =>
        transforms.Add<ExampleTransform, ExampleOptions>("example");

    // Services the transforms take in their constructors, if any:
    // public void ConfigureServices(IServiceCollection services) => services.AddSingleton<MyService>();
}
