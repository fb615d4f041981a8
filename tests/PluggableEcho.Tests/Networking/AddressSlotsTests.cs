using System.Net;
using System.Net.Sockets;
using PluggableEcho.Host.Networking;

namespace PluggableEcho.Tests.Networking;

public sealed class AddressSlotsTests
{
    private static readonly IPEndPoint First = IPEndPoint.Parse("203.0.113.7:1000");
    private static readonly IPEndPoint SameAddressOtherPort = IPEndPoint.Parse("203.0.113.7:2000");
    private static readonly IPEndPoint Other = IPEndPoint.Parse("203.0.113.8:1000");

    [Test]
    public void An_address_gets_its_limit_of_slots_across_ports_and_another_address_its_own()
    {
        var slots = new AddressSlots(2);

        Assert.That(slots.TryTake(First, out IPAddress? one), Is.True);
        Assert.That(slots.TryTake(SameAddressOtherPort, out IPAddress? two), Is.True);
        Assert.That(slots.TryTake(First, out IPAddress? three), Is.False, "the port does not matter, the address does");
        Assert.That(slots.TryTake(Other, out IPAddress? other), Is.True);

        Assert.That((one, two, three, other), Is.EqualTo((First.Address, First.Address, (IPAddress?)null, Other.Address)));
    }

    [Test]
    public void A_slot_given_back_can_be_taken_again_and_an_address_without_any_leaves_the_map()
    {
        var slots = new AddressSlots(1);
        slots.TryTake(First, out IPAddress? taken);
        slots.TryTake(Other, out IPAddress? other);

        slots.Release(taken!);

        Assert.That(slots.Addresses, Is.EqualTo(1), "only the address still connected");
        Assert.That(slots.TryTake(SameAddressOtherPort, out taken), Is.True);
        slots.Release(taken!);
        slots.Release(other!);
        Assert.That(slots.Addresses, Is.Zero);
    }

    [Test]
    public void Without_a_limit_or_without_an_IP_address_nothing_is_taken_or_refused()
    {
        var off = new AddressSlots(0);
        var on = new AddressSlots(1);

        for (int i = 0; i < 3; i++)
        {
            Assert.That(off.TryTake(First, out IPAddress? taken), Is.True);
            Assert.That(taken, Is.Null);
            Assert.That(on.TryTake(new UnixDomainSocketEndPoint("/tmp/echo.sock"), out taken), Is.True);
            Assert.That(on.TryTake(null, out taken), Is.True, "a LOCAL PROXY header names no client");
            Assert.That(taken, Is.Null);
        }

        Assert.That((off.Addresses, on.Addresses), Is.EqualTo((0, 0)));
    }

    /// <summary>Loops take and give back slots on their own threads: the limit holds at every
    /// moment, and nothing is left over once every slot is back.</summary>
    [Test]
    public void Loops_taking_and_giving_back_at_once_never_exceed_the_limit_and_leave_nothing()
    {
        const int limit = 3;
        const int rounds = 20_000;
        var slots = new AddressSlots(limit);
        int holding = 0;
        int most = 0;

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (int i = 0; i < rounds; i++)
            {
                if (slots.TryTake(First, out IPAddress? taken))
                {
                    int now = Interlocked.Increment(ref holding);
                    InterlockedMax(ref most, now);
                    Interlocked.Decrement(ref holding);
                    slots.Release(taken!);
                }
            }
        });

        Assert.That(most, Is.InRange(1, limit));
        Assert.That(slots.Addresses, Is.Zero);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int found = Interlocked.CompareExchange(ref target, value, seen);
            if (found == seen)
            {
                return;
            }

            seen = found;
        }
    }
}
