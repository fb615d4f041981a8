using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Fleet;

/// <summary>The programs of a fleet besides the server: haproxy, openssl. .ci/run installs them.</summary>
internal static class FleetPrograms
{
    /// <summary>The program's path. Missing, it fails the test: a fleet test that cannot run must
    /// not pass.</summary>
    public static string Require(string name)
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Append("/usr/sbin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        Assert.That(path, Is.Not.Null, $"{name} is not installed: apt-get install {name} (.ci/run installs it)");
        return path!;
    }

    /// <summary>A self-signed certificate and its key in one PEM file, as HAProxy's <c>crt</c> takes it.</summary>
    public static async Task<string> SelfSignedPemAsync(string folder)
    {
        string key = Path.Combine(folder, "tls.key"), certificate = Path.Combine(folder, "tls.crt");
        (int exit, string output, string errors) = await SystemTool.RunAsync(Require("openssl"), [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-keyout", key, "-out", certificate]);
        Assert.That(exit, Is.Zero, output + errors);
        string pem = Path.Combine(folder, "tls.pem");
        await File.WriteAllTextAsync(pem, await File.ReadAllTextAsync(certificate) + await File.ReadAllTextAsync(key));
        return pem;
    }
}
