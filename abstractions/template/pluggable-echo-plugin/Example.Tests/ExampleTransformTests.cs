using System.Buffers;
using System.Text;

namespace Example.Tests;

/// <summary>The transform in process, as one step of a pipeline runs it.</summary>
public sealed class ExampleTransformTests
{
    [Test]
    public void A_message_comes_back_with_the_suffix_after_it()
    {
        Assert.That(Transform("hello", new ExampleOptions()), Is.EqualTo("hello!"));
    }

    [Test]
    public void The_suffix_is_an_option()
    {
        Assert.That(Transform("really", new ExampleOptions { Suffix = "?!" }), Is.EqualTo("really?!"));
    }

    [Test]
    public void The_plugin_offers_the_transform_by_its_pipeline_name()
    {
        var catalog = new RecordingCatalog();
        new ExamplePlugin().AddTransforms(catalog);
        Assert.That(catalog.Names, Is.EqualTo(new[] { "example" }));
    }

    private static string Transform(string message, ExampleOptions options)
    {
        var output = new ArrayBufferWriter<byte>();
        new ExampleTransform(options).Transform(Encoding.UTF8.GetBytes(message), output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
