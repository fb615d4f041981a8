namespace PluggableEcho.Host.Plugins;

/// <summary>
/// A private copy of one plugin's files, which the host loads in place of the originals: the
/// runtime maps a loaded assembly's file, and a file mapped from the plugins folder could not be
/// overwritten on Windows, while on Linux overwriting it in place can end the process with
/// SIGBUS. Loading from memory instead would avoid the mapping too, but an assembly read into
/// memory runs none of its precompiled (ReadyToRun) code, and a script step's engine then took a
/// second to compile at its first message. Each load has a copy of its own, removed once the
/// plugin is disposed (on Linux, even while its load context has yet to be collected).
/// </summary>
internal sealed class PluginCopy : IDisposable
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), $"pluggable-echo-{Environment.ProcessId}");
    private static long _copies;

    private readonly string _folder;

    private PluginCopy(string folder, string assemblyPath)
    {
        _folder = folder;
        AssemblyPath = assemblyPath;
    }

    /// <summary>The plugin's assembly in the copy.</summary>
    public string AssemblyPath { get; }

    /// <summary>Copies what the plugin may load: a plugin folder whole, or for a loose plugin the
    /// files beside it (its loose dependencies among them).</summary>
    /// <exception cref="IOException">The files cannot be read, or the copy written.</exception>
    /// <exception cref="UnauthorizedAccessException">The same, for want of permission.</exception>
    public static PluginCopy Make(string assemblyPath)
    {
        string source = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        string folder = Path.Combine(Root, Interlocked.Increment(ref _copies).ToString(System.Globalization.CultureInfo.InvariantCulture), Path.GetFileName(source));
        try
        {
            bool whole = PluginFiles.HasOwnFolder(assemblyPath);
            foreach (string file in Directory.GetFiles(source, "*", whole ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly))
            {
                string copy = Path.Combine(folder, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
            }

            return new PluginCopy(folder, Path.Combine(folder, Path.GetFileName(assemblyPath)));
        }
        catch
        {
            Delete(folder);
            throw;
        }
    }

    public void Dispose() => Delete(_folder);

    private static void Delete(string folder)
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still mapped where the system forbids deleting that (Windows): left in the temporary folder.
        }
    }
}
