using System.Net.Sockets;
using System.Text;

namespace PluggableEcho.Tests.Fleet;

/// <summary>Reads replies a line at a time from a stream, telling a clean end from one inside a line.</summary>
internal sealed class ReplyReader(NetworkStream stream)
{
    private readonly byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    /// <returns>The next line without its \n; null at an end of stream between lines.</returns>
    /// <exception cref="IOException">The stream ended inside a line: a reply cut short.</exception>
    public async Task<string?> ReadLineAsync(CancellationToken cancellation)
    {
        while (true)
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                string line = Encoding.ASCII.GetString(_buffer, _start, newline - _start);
                _start = newline + 1;
                return line;
            }

            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            if (_end == _buffer.Length)
            {
                throw new IOException($"a reply longer than {_buffer.Length} bytes");
            }

            int read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellation);
            if (read == 0)
            {
                return _end == 0 ? null : throw new IOException($"the stream ended inside a reply: '{Encoding.ASCII.GetString(_buffer, 0, _end)}'");
            }

            _end += read;
        }
    }
}
