using Microsoft.Extensions.DependencyInjection;

namespace PluggableEcho.Abstractions;

/// <summary>
/// The entry point of a plugin assembly. The host creates it with its public parameterless
/// constructor, lets it register its own services, then asks which transforms it offers.
/// </summary>
public interface ITransformPlugin
{
    void AddTransforms(ITransformCatalog transforms);

    /// <summary>Services the plugin's transforms take in their constructors.</summary>
    void ConfigureServices(IServiceCollection services)
    {
    }
}
