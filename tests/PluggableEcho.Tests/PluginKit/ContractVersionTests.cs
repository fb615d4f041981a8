using System.Text.Json;
using System.Xml.Linq;
using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.PluginKit;

/// <summary>
/// The contract's SemVer follows its public API (see abstractions/PluggableEcho.Abstractions.csproj),
/// and what the kit names the contract by keeps up with it.
/// </summary>
public sealed class ContractVersionTests
{
    private static readonly ContractProject Contract = ContractProject.Read();

    [Test]
    public void The_contract_version_is_past_the_shipped_one_as_far_as_its_unshipped_api_asks()
    {
        (Version least, string why) = Contract.LeastVersion();

        Assert.That(Contract.Version, Is.GreaterThanOrEqualTo(least),
            $"{why}: the contract's <Version> must be {least} or more (<ShippedVersion> is {Contract.ShippedVersion})");
    }

    [TestCase(new string[0], "1.4.0")]
    [TestCase(new[] { "PluggableEcho.Abstractions.ITransform.Name.get -> string!" }, "1.5.0")]
    [TestCase(new[] { "PluggableEcho.Abstractions.ITransform.Name.get -> string!", "*REMOVED*PluggableEcho.Abstractions.ConnectionInfo.Id.get -> long" }, "2.0.0")]
    public void Additions_take_the_next_minor_and_removals_the_next_major(string[] unshipped, string least)
    {
        var contract = new ContractProject(new Version(1, 4, 0), new Version(1, 4, 0), unshipped);

        Assert.That(contract.LeastVersion().Least, Is.EqualTo(Version.Parse(least)));
    }

    [Test]
    public void The_built_contract_is_the_version_the_project_names()
    {
        Assert.That(typeof(PluggableEcho.Abstractions.ITransform).Assembly.GetName().Version!.ToString(3), Is.EqualTo(Contract.Version.ToString(3)));
    }

    [Test]
    public void A_plugin_made_from_the_template_references_this_version_of_the_contract()
    {
        using JsonDocument template = JsonDocument.Parse(File.ReadAllText(Path.Combine(TemplateFolder, ".template.config", "template.json")));
        string defaultVersion = template.RootElement.GetProperty("symbols").GetProperty("contractVersion").GetProperty("defaultValue").GetString()!;

        Assert.That(defaultVersion, Is.EqualTo(Contract.Version.ToString(3)), "template.json's contractVersion follows the contract's <Version>");
    }

    [Test]
    public void The_template_tests_with_the_package_versions_the_repository_uses()
    {
        Dictionary<string, string> repository = XDocument.Load(Path.Combine(TestPaths.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion").ToDictionary(p => (string)p.Attribute("Include")!, p => (string)p.Attribute("Version")!);
        IEnumerable<XElement> references = XDocument.Load(Path.Combine(TemplateFolder, "Example.Tests", "Example.Tests.csproj")).Descendants("PackageReference");

        foreach (XElement reference in references)
        {
            string name = (string)reference.Attribute("Include")!;
            Assert.That((string?)reference.Attribute("Version"), Is.EqualTo(repository.GetValueOrDefault(name)), $"{name} in Directory.Packages.props");
        }
    }

    [Test]
    public void The_readme_names_this_version_of_the_packages()
    {
        string readme = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "README.md"));
        string version = Contract.Version.ToString(3);

        Assert.That(readme, Does.Contain($"dotnet new install artifacts/packages/PluggableEcho.Templates.{version}.nupkg"));
        Assert.That(readme, Does.Contain($"<PackageReference Include=\"PluggableEcho.Abstractions\" Version=\"{version}\" />"));
    }

    private static string TemplateFolder => Path.Combine(ContractProject.Folder, "template", "pluggable-echo-plugin");
}
