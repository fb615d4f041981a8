namespace PluggableEcho.Abstractions;

/// <summary>Where a plugin names the transforms it offers.</summary>
/// <remarks>
/// The host builds each transform with <c>ActivatorUtilities</c>: its constructor may take the
/// bound options object, an <c>ILogger&lt;T&gt;</c> and any service the plugin registered.
/// Options are bound from the step's YAML <c>options:</c> (snake_case keys to properties) and
/// validated with DataAnnotations attributes before the server starts.
/// </remarks>
public interface ITransformCatalog
{
    /// <summary>Offers a transform that takes no options.</summary>
    ITransformCatalog Add<TTransform>(string name)
        where TTransform : class, ITransform;

    /// <summary>Offers a transform configured by <typeparamref name="TOptions"/>.</summary>
    ITransformCatalog Add<TTransform, TOptions>(string name)
        where TTransform : class, ITransform
        where TOptions : class, new();
}
