using System.Net;
using PluggableEcho.Host.Buffers;
using PluggableEcho.Host.Networking.Proxy;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// The PROXY header a balancer sends before its client's first byte (<c>proxy_protocol</c>):
/// read in <see cref="ConnectionState.AwaitingProxyHeader"/>, before anything reaches the framer.
/// The client it names is the one steps and logs see from then on, and the one
/// max_connections_per_ip counts.
/// </summary>
internal sealed partial class Connection
{
    private ByteBuffer? _partialHeader; // Only for a header cut across reads: most come whole.

    private void ReadProxyHeader(ReadOnlySpan<byte> received)
    {
        _lastActive = _loop.Reactor.Now;
        ReadOnlySpan<byte> input = received;
        if (_partialHeader is not null)
        {
            _partialHeader.Write(received);
            input = _partialHeader.WrittenSpan;
        }

        switch (ProxyHeaderParser.TryParse(input, _listener.Options.ProxyProtocol, out ProxyHeader header, out ProxyHeaderProblem problem))
        {
            case ProxyHeaderStatus.Incomplete:
                if (_partialHeader is null)
                {
                    _partialHeader = new ByteBuffer();
                    _partialHeader.Write(received);
                }

                return;
            case ProxyHeaderStatus.Refused:
                RefuseProxyHeader(problem);
                return;
        }

        IPEndPoint? client = header.Source.ToEndPoint();
        if (client is not null)
        {
            _client = client;
            _exchange.Client = client;
        }

        // The address max_connections_per_ip counts is the client's, not the balancer's. A LOCAL
        // or UNKNOWN header (a balancer's health check) names none and takes no slot: counted
        // against the balancer, checks could be refused and the server marked down.
        if (_listener.TryTakeAddressSlot(client, _loop.Reactor.Now, out _addressSlot))
        {
            State = ConnectionState.Open;
            ScheduleDeadline(); // Without the header's deadline now.
            ReadOnlySpan<byte> rest = input[header.Length..];
            if (!rest.IsEmpty)
            {
                Take(rest); // The exchange keeps what it needs of them.
            }
        }
        else
        {
            // Told, and nothing it sent reaches the pipeline; the connection ends as after a
            // message too long, once the notice is out.
            _exchange.TurnAway(_output);
            Finish();
        }

        _partialHeader?.Release();
        _partialHeader = null;
    }

    /// <summary>Input ended before a header was whole: a client, or a balancer's plain TCP check,
    /// that connected and left is no failure; one that left halfway through is.</summary>
    private void EndBeforeProxyHeader()
    {
        if (_partialHeader is null)
        {
            Close(CloseReason.Client);
        }
        else
        {
            RefuseProxyHeader(ProxyHeaderProblem.Incomplete);
        }
    }

    /// <summary>Closed at once: the client is unknown, so nothing it sent may reach the pipeline.</summary>
    private void RefuseProxyHeader(ProxyHeaderProblem problem)
    {
        NetworkLog.ProxyHeaderRefused(_loop.Logger, Handle, _client, ProxyHeaderProblems.Describe(problem, _listener.Options.ProxyProtocol));
        Close(CloseReason.ProxyHeader);
    }
}
