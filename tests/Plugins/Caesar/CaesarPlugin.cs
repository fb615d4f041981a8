using Microsoft.Extensions.DependencyInjection;
using PluggableEcho.Abstractions;

namespace PluggableEcho.Plugins.Caesar;

/// <summary>A third-party plugin with options and a service of its own.</summary>
public sealed class CaesarPlugin : ITransformPlugin
{
    public void AddTransforms(ITransformCatalog transforms) =>
        transforms.Add<CaesarTransform, CaesarOptions>("caesar");

    public void ConfigureServices(IServiceCollection services) =>
        services.AddSingleton<Alphabet>();
}
