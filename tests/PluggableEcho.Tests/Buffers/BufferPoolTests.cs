using PluggableEcho.Host.Buffers;

namespace PluggableEcho.Tests.Buffers;

public sealed class BufferPoolTests
{
    [Test]
    public void An_array_given_back_is_the_next_one_rented_of_its_size_until_the_pool_is_trimmed()
    {
        var pool = new BufferPool();
        byte[] first = pool.Rent(5000);
        Assert.That(first, Has.Length.EqualTo(8192), "a power of two");

        pool.Return(first);
        Assert.That(pool.Rent(8000), Is.SameAs(first));

        pool.Return(first);
        pool.Trim();
        Assert.That(pool.Rent(8000), Is.Not.SameAs(first), "trimmed: it keeps nothing");
    }

    [Test]
    public void It_keeps_at_most_4_MiB_of_each_size_and_nothing_larger_or_not_its_own()
    {
        var pool = new BufferPool();
        byte[][] large = [.. Enumerable.Range(0, 6).Select(_ => pool.Rent(1 << 20))];
        foreach (byte[] array in large)
        {
            pool.Return(array);
        }

        var rented = new HashSet<byte[]>(Enumerable.Range(0, 6).Select(_ => pool.Rent(1 << 20)), ReferenceEqualityComparer.Instance);
        Assert.That(large.Count(rented.Contains), Is.EqualTo(4), "four of 1 MiB kept");

        byte[] huge = pool.Rent(8 << 20);
        pool.Return(huge);
        Assert.That(pool.Rent(8 << 20), Is.Not.SameAs(huge), "8 MiB arrays are not kept");

        byte[] odd = new byte[100_000];
        pool.Return(odd);
        Assert.That(pool.Rent(65_536), Is.Not.SameAs(odd));
        Assert.That(pool.Rent(131_072), Is.Not.SameAs(odd));
    }
}
