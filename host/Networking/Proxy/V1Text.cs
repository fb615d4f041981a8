using System.Buffers.Binary;

namespace PluggableEcho.Host.Networking.Proxy;

/// <summary>The fields of a v1 header after <c>PROXY </c>: <c>TCP4|TCP6 source destination
/// sourcePort destinationPort</c>, each separated by one space. Parsed by hand, so that reading
/// a header allocates nothing.</summary>
internal static class V1Text
{
    public static bool TryParseAddresses(ReadOnlySpan<byte> fields, out ProxyAddress source)
    {
        source = default;
        Span<Range> parts = stackalloc Range[5];
        int count = 0;
        foreach (Range part in fields.Split((byte)' '))
        {
            if (count == parts.Length)
            {
                return false;
            }

            parts[count++] = part;
        }

        if (count != parts.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> family = fields[parts[0]];
        Span<byte> from = stackalloc byte[16];
        Span<byte> to = stackalloc byte[16];
        bool parsed = family.SequenceEqual("TCP4"u8)
            ? TryParseIPv4(fields[parts[1]], from) && TryParseIPv4(fields[parts[2]], to)
            : family.SequenceEqual("TCP6"u8) && TryParseIPv6(fields[parts[1]], from) && TryParseIPv6(fields[parts[2]], to);
        if (!parsed || !TryParsePort(fields[parts[3]], out ushort port) || !TryParsePort(fields[parts[4]], out _))
        {
            return false;
        }

        source = ProxyAddress.From(from[..(family[3] == '4' ? 4 : 16)], port);
        return true;
    }

    /// <summary>Dotted decimal, four parts of 1 to 3 digits without a leading zero, each at most 255.</summary>
    public static bool TryParseIPv4(ReadOnlySpan<byte> text, Span<byte> address)
    {
        int part = 0;
        int value = 0;
        int digits = 0;
        foreach (byte c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || part == 3)
                {
                    return false;
                }

                address[part++] = (byte)value;
                value = digits = 0;
            }
            else if (IsDigit(c) && digits < 3 && !(digits == 1 && value == 0))
            {
                // No leading zero, as the protocol says (and inet_pton, which would read 010 as octal elsewhere).
                value = (value * 10) + (c - '0');
                digits++;
                if (value > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (digits == 0 || part != 3)
        {
            return false;
        }

        address[3] = (byte)value;
        return true;
    }

    /// <summary>RFC 4291 text: up to eight groups of 1 to 4 hex digits, one <c>::</c> for a run of
    /// zero groups, and a dotted IPv4 address in place of the last two. No zone.</summary>
    public static bool TryParseIPv6(ReadOnlySpan<byte> text, Span<byte> address)
    {
        Span<ushort> groups = stackalloc ushort[8];
        int count = 0;
        int gap = -1; // Where the :: stands, in groups.
        int i = 0;
        if (text.StartsWith("::"u8))
        {
            gap = 0;
            i = 2;
        }

        while (i < text.Length)
        {
            ReadOnlySpan<byte> rest = text[i..];
            int colon = rest.IndexOf((byte)':');
            ReadOnlySpan<byte> group = colon < 0 ? rest : rest[..colon];
            if (colon < 0 && group.Contains((byte)'.'))
            {
                Span<byte> v4 = stackalloc byte[4];
                if (count > 6 || !TryParseIPv4(group, v4))
                {
                    return false;
                }

                groups[count++] = BinaryPrimitives.ReadUInt16BigEndian(v4);
                groups[count++] = BinaryPrimitives.ReadUInt16BigEndian(v4[2..]);
                break;
            }

            if (count == 8 || !TryParseHexGroup(group, out groups[count]))
            {
                return false;
            }

            count++;
            i += group.Length;
            if (i == text.Length)
            {
                break;
            }

            i++; // The colon.
            if (i < text.Length && text[i] == ':')
            {
                if (gap >= 0)
                {
                    return false; // A second ::.
                }

                gap = count;
                i++;
            }
            else if (i == text.Length)
            {
                return false; // Ends on a single colon.
            }
        }

        if (gap < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        address[..16].Clear();
        int tail = count - Math.Max(gap, 0);
        for (int g = 0; g < count; g++)
        {
            int at = gap < 0 || g < gap ? g : 8 - tail + (g - gap);
            BinaryPrimitives.WriteUInt16BigEndian(address[(at * 2)..], groups[g]);
        }

        return true;
    }

    /// <summary>Decimal, 0 to 65535, no sign, no leading zero.</summary>
    private static bool TryParsePort(ReadOnlySpan<byte> text, out ushort port)
    {
        bool parsed = TryParseNumber(text, maxDigits: 5, radix: 10, out int value) && value <= ushort.MaxValue && (text[0] != '0' || text.Length == 1);
        port = (ushort)value;
        return parsed;
    }

    private static bool TryParseHexGroup(ReadOnlySpan<byte> text, out ushort group)
    {
        bool parsed = TryParseNumber(text, maxDigits: 4, radix: 16, out int value);
        group = (ushort)value;
        return parsed;
    }

    private static bool TryParseNumber(ReadOnlySpan<byte> text, int maxDigits, int radix, out int value)
    {
        value = 0;
        if (text.IsEmpty || text.Length > maxDigits)
        {
            return false;
        }

        foreach (byte c in text)
        {
            int digit = IsDigit(c) ? c - '0' : (c | 0x20) is >= 'a' and <= 'f' ? (c | 0x20) - 'a' + 10 : radix;
            if (digit >= radix)
            {
                return false;
            }

            value = (value * radix) + digit;
        }

        return true;
    }

    private static bool IsDigit(byte c) => c is >= (byte)'0' and <= (byte)'9';
}
