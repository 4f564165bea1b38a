// SPDX-License-Identifier: GPL-2.0-or-later
// Builds a synthetic overlay stack for benchmarks: 5 lower layers (~101,000 entries each) with
// overlapping directories and files, whiteouts and opaque directories, plus a workspace file.
// Usage: strata_benchgen DIR [DIRS_PER_LAYER]
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace
{
void check(bool ok, const std::string &what)
{
    if (!ok) {
        std::fprintf(stderr, "strata_benchgen: %s: %s\n", what.c_str(), std::strerror(errno));
        std::exit(1);
    }
}
void mkdirp(const std::string &p)
{
    check(::mkdir(p.c_str(), 0755) == 0 || errno == EEXIST, "mkdir " + p);
}
} // namespace

int main(int argc, char **argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: strata_benchgen DIR [DIRS_PER_LAYER (default 100)]\n");
        return 2;
    }
    const std::string root = argv[1];
    const int dirs = argc > 2 ? std::atoi(argv[2]) : 100;
    const int lowers = 5;
    const int subdirs = 10;
    const int files = 100;
    const bool root_user = ::geteuid() == 0;
    const char *opaqueName = root_user ? "trusted.overlay.opaque" : "user.overlay.opaque";
    mkdirp(root);
    long entries = 0;
    for (int l = 0; l < lowers; ++l) {
        const std::string layer = root + "/L" + std::to_string(l);
        mkdirp(layer);
        for (int d = 0; d < dirs; ++d) {
            const std::string dd = layer + "/d" + std::to_string(d);
            mkdirp(dd);
            ++entries;
            for (int s = 0; s < subdirs; ++s) {
                const std::string sd = dd + "/s" + std::to_string(s);
                mkdirp(sd);
                ++entries;
                // Every 50th subdirectory of the upper lowers is opaque.
                if (l < lowers - 1 && (d * subdirs + s) % 50 == l)
                    check(::setxattr(sd.c_str(), opaqueName, "y", 1, 0) == 0, "setxattr " + sd);
                for (int f = 0; f < files; ++f) {
                    // Names overlap across layers: 150 distinct names per subdirectory.
                    const int name = (f + l * 13) % 150;
                    const std::string fp = sd + "/f" + std::to_string(name);
                    ++entries;
                    if (l < lowers - 1 && f % 20 == l) {
                        check(::mknod(fp.c_str(), S_IFCHR, makedev(0, 0)) == 0, "mknod " + fp);
                        continue;
                    }
                    const int fd = ::open(fp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
                    check(fd >= 0, "open " + fp);
                    const std::string content = "L" + std::to_string(l) + "\n";
                    check(::write(fd, content.data(), content.size()) == ssize_t(content.size()), "write " + fp);
                    ::close(fd);
                }
            }
        }
    }
    FILE *ws = std::fopen((root + "/stratascope.json").c_str(), "w");
    check(ws != nullptr, "write workspace");
    std::fprintf(ws,
        "{\n  \"version\": 1,\n  \"overlays\": [\n    { \"name\": \"bench\", \"lower\": [\"L0\", \"L1\", \"L2\", "
        "\"L3\", \"L4\"],\n"
        "      \"mountpoint\": \"mnt\", \"options\": { \"redirect_dir\": \"follow\", \"userxattr\": %s } }\n  ]\n}\n",
        root_user ? "false" : "true");
    std::fclose(ws);
    mkdirp(root + "/mnt");
    std::printf("%ld\n", entries);
    return 0;
}
