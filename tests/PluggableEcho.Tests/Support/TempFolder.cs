namespace PluggableEcho.Tests.Support;

/// <summary>A folder of its own for one test, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("pluggable-echo-tests-").FullName;
    }

    public string Path { get; }

    public string Write(string relativePath, string text)
    {
        string file = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return file;
    }

    /// <summary>Copies a plugin's build output into <c>plugins/&lt;name&gt;/</c> here, as a user would drop it in.</summary>
    public string DropPlugin(string buildOutput, string name, string pluginsFolder = "plugins")
    {
        string target = System.IO.Path.Combine(Path, pluginsFolder, name);
        foreach (string file in Directory.GetFiles(buildOutput, "*", SearchOption.AllDirectories))
        {
            string destination = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(buildOutput, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        return target;
    }

    /// <summary>Copies DLLs of a plugin's build output loose into <c>plugins/</c> here, as a user
    /// would drop a single-assembly plugin in.</summary>
    /// <returns>Where each one now is.</returns>
    public string[] DropLoose(string buildOutput, params string[] dlls)
    {
        string target = System.IO.Path.Combine(Path, "plugins");
        Directory.CreateDirectory(target);
        return [.. dlls.Select(dll =>
        {
            string destination = System.IO.Path.Combine(target, dll);
            File.Copy(System.IO.Path.Combine(buildOutput, dll), destination);
            return destination;
        })];
    }

    /// <summary>A plugins folder with the samples and the test plugins.</summary>
    public string DropAllPlugins()
    {
        foreach (string sample in Directory.GetDirectories(TestPaths.SamplePlugins))
        {
            DropPlugin(sample, System.IO.Path.GetFileName(sample));
        }

        DropPlugin(TestPaths.TestPluginOutput("Caesar"), "Caesar");
        DropPlugin(TestPaths.TestPluginOutput("Faulty"), "Faulty");
        return System.IO.Path.Combine(Path, "plugins");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A loaded plugin may still hold a file open; the system's temp cleaner gets it later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
