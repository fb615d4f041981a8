using System.Net;

namespace PluggableEcho.Host.Networking;

/// <summary>
/// The <c>max_connections_per_ip</c> count of one listener, shared by every loop: a slot for the
/// client's address is taken once the address is known (at accept, or once a PROXY header names
/// it) and given back when its connection closes. Clients arrive far less often than messages,
/// so a lock serves; an address whose last connection closes leaves the map, which therefore
/// holds only the addresses connected now.
/// </summary>
/// <param name="maxPerAddress">Zero: no limit, and nothing is counted.</param>
internal sealed class AddressSlots(int maxPerAddress)
{
    private readonly Dictionary<IPAddress, int> _taken = [];
    private volatile int _max = maxPerAddress;

    /// <summary>The limit, which a reload may change: the clients over a lowered one stay.</summary>
    public int Max
    {
        get => _max;
        set => _max = value;
    }

    /// <summary>How many addresses hold a slot now.</summary>
    public int Addresses
    {
        get
        {
            lock (_taken)
            {
                return _taken.Count;
            }
        }
    }

    /// <summary>Takes a slot for the address of <paramref name="client"/>.</summary>
    /// <param name="taken">The address to give back with <see cref="Release"/>; null when nothing
    /// was taken: there is no limit, the client has no IP address, or its address is full.</param>
    /// <returns>False if that address holds all its slots already.</returns>
    public bool TryTake(EndPoint? client, out IPAddress? taken)
    {
        taken = null;
        int max = _max;
        if (max == 0 || client is not IPEndPoint { Address: IPAddress address })
        {
            return true;
        }

        lock (_taken)
        {
            _taken.TryGetValue(address, out int count);
            if (count >= max)
            {
                return false;
            }

            _taken[address] = count + 1;
        }

        taken = address;
        return true;
    }

    /// <summary>Gives back a slot <see cref="TryTake"/> took; the address leaves the map with its last.</summary>
    public void Release(IPAddress address)
    {
        lock (_taken)
        {
            int left = _taken[address] - 1;
            if (left == 0)
            {
                _taken.Remove(address);
            }
            else
            {
                _taken[address] = left;
            }
        }
    }
}
