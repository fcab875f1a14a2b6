// I/O components against /proc/self/io, getrusage (ru_inblock/ru_oublock)
// and /proc/self/net/dev read directly: an fsync'd 8 MiB write, reading an
// evicted then a cached 8 MiB file, and UDP traffic on the loopback device.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "tests/components/proof.h"

namespace {

using namespace proof;

class Io : public ProofTest {};

struct IoSnap {
    std::map<std::string, int64_t> io;
    struct rusage ru;
};
IoSnap io_snap() { return {proc_io(), rusage_of(RUSAGE_SELF)}; }

double io_delta(const IoSnap &a, const IoSnap &b, const char *key) {
    auto ia = a.io.find(key), ib = b.io.find(key);
    return ia == a.io.end() || ib == b.io.end() ? -1.0 : (double)(ib->second - ia->second);
}

void expect_io_bracketed(const Comp &c, const char *key, const Window<IoSnap> &w) {
    EXPECT_TRUE(Bracketed(c.name() + " (/proc/self/io " + key + ")", io_delta(w.i1, w.i2, key), c.raw(),
                          io_delta(w.o1, w.o2, key)));
}

std::string file_in(const std::string &dir, const char *what) {
    return dir + "/proof_" + what + "." + std::to_string(getpid());
}

// Writing and fsync-ing 8 MiB: wchar, write_bytes and ru_oublock rise by it.
PROOF_TEST(Io, WriteAndFsync, "written_char", "written_bytes", "num_io_out") {
    if (proc_io().empty()) {
        EXPECT_NE(tm_component_unavailable(TM_WRITTEN_CHAR), nullptr);
        GTEST_SKIP() << "/proc/self/io is not readable here";
    }
    const StorageDir &sd = storage_dir();
    const std::string path = file_in(sd.path.empty() ? scratch_dir() : sd.path, "write");
    const int64_t kBytes = 8 * kMiB;
    Comp wchar(TM_WRITTEN_CHAR), wbytes(TM_WRITTEN_BYTES), oublock(TM_NUM_IO_OUT);
    int fd = -1;
    auto w = bracket({&wchar, &wbytes, &oublock}, io_snap, [&] { fd = write_file(path, kBytes, true); });
    ASSERT_GE(fd, 0) << path << ": " << strerror(errno);
    close(fd);
    unlink(path.c_str());
    expect_io_bracketed(wchar, "wchar", w);
    expect_io_bracketed(wbytes, "write_bytes", w);
    EXPECT_TRUE(Bracketed("num_io_out (ru_oublock)", (double)(w.i2.ru.ru_oublock - w.i1.ru.ru_oublock), oublock.raw(),
                          (double)(w.o2.ru.ru_oublock - w.o1.ru.ru_oublock)));

    EXPECT_GE(wchar.raw(), (double)kBytes);
    if (sd.path.empty()) GTEST_SKIP() << "written_bytes/num_io_out: " << sd.why_not;
    EXPECT_GE(wbytes.raw(), (double)kBytes) << "in " << sd.path;
    EXPECT_GE(oublock.raw(), (double)(kBytes / 512)) << "ru_oublock counts 512-byte blocks";
}

// Reading an 8 MiB file evicted from the page cache: rchar, read_bytes and
// ru_inblock rise by it. Reading it again (cached): rchar rises, storage
// reads do not.
PROOF_TEST(Io, ReadEvictedThenCachedFile, "read_char", "read_bytes", "num_io_in") {
    if (proc_io().empty()) {
        EXPECT_NE(tm_component_unavailable(TM_READ_CHAR), nullptr);
        GTEST_SKIP() << "/proc/self/io is not readable here";
    }
    const StorageDir &sd = storage_dir();
    const std::string path = file_in(sd.path.empty() ? scratch_dir() : sd.path, "read");
    const int64_t kBytes = 8 * kMiB;
    int fd = write_file(path, kBytes, true);
    ASSERT_GE(fd, 0) << path << ": " << strerror(errno);
    unlink(path.c_str());
    evict(fd);

    Comp rchar(TM_READ_CHAR), rbytes(TM_READ_BYTES), inblock(TM_NUM_IO_IN);
    int64_t got = 0;
    auto w = bracket({&rchar, &rbytes, &inblock}, io_snap, [&] { got = read_all(fd); });
    ASSERT_EQ(got, kBytes);
    expect_io_bracketed(rchar, "rchar", w);
    expect_io_bracketed(rbytes, "read_bytes", w);
    EXPECT_TRUE(Bracketed("num_io_in (ru_inblock)", (double)(w.i2.ru.ru_inblock - w.i1.ru.ru_inblock), inblock.raw(),
                          (double)(w.o2.ru.ru_inblock - w.o1.ru.ru_inblock)));
    EXPECT_GE(rchar.raw(), (double)kBytes);

    // Again, from the page cache.
    Comp rchar2(TM_READ_CHAR), rbytes2(TM_READ_BYTES), inblock2(TM_NUM_IO_IN);
    auto w2 = bracket({&rchar2, &rbytes2, &inblock2}, io_snap, [&] { got = read_all(fd); });
    close(fd);
    ASSERT_EQ(got, kBytes);
    expect_io_bracketed(rchar2, "rchar", w2);
    expect_io_bracketed(rbytes2, "read_bytes", w2);
    EXPECT_GE(rchar2.raw(), (double)kBytes) << "rchar counts cache hits too";
    EXPECT_TRUE(Bracketed("num_io_in (cached)", (double)(w2.i2.ru.ru_inblock - w2.i1.ru.ru_inblock), inblock2.raw(),
                          (double)(w2.o2.ru.ru_inblock - w2.o1.ru.ru_inblock)));

    if (io_delta(w.o1, w.o2, "read_bytes") < (double)kBytes)
        GTEST_SKIP() << "read_bytes/num_io_in: reading " << path << " after posix_fadvise(DONTNEED) fetched only "
                     << io_delta(w.o1, w.o2, "read_bytes") << " bytes from storage (page cache not evicted); "
                     << sd.why_not;
    EXPECT_GE(rbytes.raw(), (double)kBytes);
    EXPECT_GE(inblock.raw(), (double)(kBytes / 512)) << "ru_inblock counts 512-byte blocks";
    if (io_delta(w2.o1, w2.o2, "read_bytes") == 0) {
        EXPECT_EQ(rbytes2.raw(), 0.0) << "a cached read fetches nothing from storage";
    }
}

// UDP datagrams to a socket of our own on 127.0.0.1: the loopback device
// counts each byte once received and once sent.
PROOF_TEST(Io, NetworkLoopbackTraffic, "network_stats") {
    NetDev probe = net_dev();
    if (!probe.ok) {
        EXPECT_NE(tm_component_unavailable(TM_NETWORK_STATS), nullptr);
        GTEST_SKIP() << "/proc/self/net/dev is not readable here";
    }
    int rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(rx, 0) << strerror(errno);
    ASSERT_GE(tx, 0) << strerror(errno);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ASSERT_EQ(bind(rx, (struct sockaddr *)&addr, sizeof addr), 0) << strerror(errno);
    socklen_t len = sizeof addr;
    ASSERT_EQ(getsockname(rx, (struct sockaddr *)&addr, &len), 0);

    const int kPackets = 64, kPayload = 1000;
    std::vector<char> buf(kPayload, 'n');
    int sent = 0, received = 0;
    Comp net(TM_NETWORK_STATS);
    auto w = bracket({&net}, net_dev, [&] {
        for (int i = 0; i < kPackets; ++i) {
            if (sendto(tx, buf.data(), buf.size(), 0, (struct sockaddr *)&addr, sizeof addr) == kPayload) ++sent;
            // receive each one so the socket buffer never drops any
            if (recv(rx, buf.data(), buf.size(), 0) == kPayload) ++received;
        }
    });
    close(rx);
    close(tx);
    if (sent == 0) GTEST_SKIP() << "no UDP datagram could be sent to 127.0.0.1: " << strerror(errno);
    ASSERT_EQ(received, sent);

    EXPECT_TRUE(Bracketed("network_stats (/proc/self/net/dev rx+tx)", (double)(w.i2.total - w.i1.total), net.raw(),
                          (double)(w.o2.total - w.o1.total)));
    // The loopback device alone saw the datagrams twice (rx and tx), headers
    // included; the component covers every interface, so at least as much.
    const double payload_twice = 2.0 * sent * kPayload;
    ASSERT_TRUE(w.i2.per_iface.count("lo")) << "no loopback device 'lo' in /proc/self/net/dev";
    EXPECT_GE((double)(w.i2.per_iface.at("lo") - w.i1.per_iface.at("lo")), payload_twice);
    EXPECT_GE(net.raw(), payload_twice);
}

}  // namespace
