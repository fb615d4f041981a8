using System.Text;

namespace PluggableEcho.Tests.Support;

/// <summary>What a client that sends and never reads sends: 64 lines of 1,000 bytes, a write's worth.</summary>
internal static class HoarderLines
{
    public static readonly byte[] Chunk = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('a', 999) + "\n", 64)));
}
