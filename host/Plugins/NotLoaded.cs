namespace PluggableEcho.Host.Plugins;

/// <summary>
/// Something in the plugins folder the host does not load, and why: a plugin that fails, one in
/// a folder named otherwise, an empty folder, a DLL that is no plugin. A warning while the
/// pipeline does not need it; named in the error when the pipeline names a transform nobody offers.
/// </summary>
/// <param name="Path">The file (or the folder) at fault.</param>
/// <param name="Reason">Why, and what to do, phrased for the user.</param>
/// <param name="MayOfferTransforms">Whether it may be the plugin a missing transform was in:
/// a plugin that failed or sits where it is not looked for, or a file that cannot be read; not an
/// empty folder or a library without a plugin class.</param>
internal sealed record NotLoaded(string Path, string Reason, bool MayOfferTransforms)
{
    public override string ToString() => $"{Path} was not loaded: {Reason}";
}
