using PluggableEcho.Tests.Support;

namespace PluggableEcho.Tests.Transforms;

/// <summary>The sample transforms on chosen examples; <see cref="TransformPropertyTests"/> tries
/// random ones.</summary>
public sealed class SampleTransformTests
{
    [TestCase("hello", "HELLO")]
    [TestCase("héllo wörld", "HÉLLO WÖRLD")]
    [TestCase("ɐ ȿ", "Ɐ Ȿ")] // 2-byte letters whose capitals take 3 bytes
    [TestCase("𐐨", "𐐀")] // 4 bytes
    [TestCase("ſ", "S")] // 2 bytes to 1
    [TestCase("straße ǆ ⓐ 1²", "STRAßE Ǆ Ⓐ 1²")] // simple case mapping: ß has no one-character capital
    [TestCase("e\u0301", "E\u0301")]
    [TestCase("", "")]
    public void Uppercase_maps_every_cased_character_and_leaves_the_rest(string input, string expected) =>
        Assert.That(Support.Transforms.Run("uppercase", input), Is.EqualTo(expected));

    [TestCase("abc", "cba")]
    [TestCase("añb😀", "😀bña")]
    [TestCase("日本語", "語本日")]
    [TestCase("ae\u0301b", "be\u0301a")] // e + combining acute
    [TestCase("x👍🏽y", "y👍🏽x")] // skin tone modifier
    [TestCase("🇫🇷🇯🇵", "🇯🇵🇫🇷")] // flags: pairs of regional indicators
    [TestCase("a👨‍👩‍👧b", "b👨‍👩‍👧a")] // ZWJ sequence
    [TestCase("한글", "글한")]
    [TestCase("one\r\ntwo", "owt\r\neno")] // \r\n is one element, in the ASCII path
    [TestCase("é\r\nü", "ü\r\né")] // and in the general one
    [TestCase("a\n\rb", "b\r\na")]
    public void Reverse_keeps_text_elements_whole(string input, string expected) =>
        Assert.That(Support.Transforms.Run("reverse", input), Is.EqualTo(expected));

    [TestCase("41FF42", "42FF41")]
    [TestCase("61CC81FF", "FF61CC81")] // á, then an invalid byte
    [TestCase("E282", "82E2")] // a character cut short: each byte is an element
    [TestCase("C3A9E282", "82E2C3A9")]
    public void Reverse_counts_each_invalid_byte_as_an_element(string input, string expected) =>
        Assert.That(Convert.ToHexString(Support.Transforms.Run("reverse", Convert.FromHexString(input))), Is.EqualTo(expected));

    [TestCase("Hello, World!", "Uryyb, Jbeyq!")]
    [TestCase("héllo", "uéyyb")]
    [TestCase("The quick brown fox jumps over the lazy dog. 0123456789 @[`{",
        "Gur dhvpx oebja sbk whzcf bire gur ynml qbt. 0123456789 @[`{")] // past one vector of 16
    public void Rot13_rotates_ascii_letters_only(string input, string expected) =>
        Assert.That(Support.Transforms.Run("rot13", input), Is.EqualTo(expected));

    [TestCase("uppercase", "41FFC328E282", "41FFC328E282")]
    [TestCase("uppercase", "61FFE282", "41FFE282")]
    [TestCase("rot13", "61FFC328E282", "6EFFC328E282")]
    public void Invalid_bytes_pass_through_unchanged(string name, string input, string expected) =>
        Assert.That(Convert.ToHexString(Support.Transforms.Run(name, Convert.FromHexString(input))), Is.EqualTo(expected));
}
