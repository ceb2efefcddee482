// airlock-test-upstream: TestUpstream as a program, for the benchmark and for integration tests
// that run airlockd as a separate process. Prints "port=N" and "ca=PATH", then serves
// TestUpstream::standardRoutes until killed. With --hub-file-size it also serves a model hub (a
// Hugging Face repo bench/big and an Ollama model library/bench:latest holding one generated
// file of that size) and prints "sha256=HEX" of that file; --hub-stall-after makes the first
// download of that file stop after so many bytes and keep the connection open (a pull that
// stays running, for screenshots).
#include "ModelHub.h"
#include "TestCa.h"
#include "TestUpstream.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>

#include <cstdio>

#include <malloc.h>

int main(int argc, char *argv[]) {
    // QSslSocket encrypts everything queued in one go into fresh buffers of up to a few MiB;
    // with glibc's defaults each one is a new mmap or a trimmed heap top, so every MiB sent
    // cost page faults and a memmove into untouched pages (8 CPU-s per GiB measured, more
    // than airlockd itself). Keeping freed memory in the heap makes the benchmark's upstream
    // cost what a real server would (~0.6 CPU-s per GiB), so it is never the bottleneck.
    mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Local HTTPS upstream serving generated bodies for tests"));
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("TCP port (0: any free)"),
                                        QStringLiteral("PORT"), QStringLiteral("0"));
    const QCommandLineOption listenOption(QStringLiteral("listen"), QStringLiteral("address to listen on"),
                                          QStringLiteral("ADDR"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption certDirOption(QStringLiteral("cert-dir"),
                                           QStringLiteral("folder for ca.pem (default: a temporary folder)"),
                                           QStringLiteral("DIR"));
    const QCommandLineOption hostsOption(QStringLiteral("hosts"), QStringLiteral("comma-separated certificate names"),
                                         QStringLiteral("NAMES"));
    const QCommandLineOption rsaOption(QStringLiteral("rsa"), QStringLiteral("RSA-2048 keys instead of EC P-256"));
    const QCommandLineOption plainOption(QStringLiteral("plain"), QStringLiteral("plain HTTP, no TLS"));
    const QCommandLineOption hubOption(
        QStringLiteral("hub-file-size"),
        QStringLiteral("also serve a model hub whose model file has BYTES bytes (0: off)"), QStringLiteral("BYTES"),
        QStringLiteral("0"));
    const QCommandLineOption stallOption(
        QStringLiteral("hub-stall-after"),
        QStringLiteral("the first download of the hub's model file stops after BYTES bytes (0: off)"),
        QStringLiteral("BYTES"), QStringLiteral("0"));
    parser.addOptions(
        {portOption, listenOption, certDirOption, hostsOption, rsaOption, plainOption, hubOption, stallOption});
    parser.process(app);

    using airlock::test::TestCa;
    using airlock::test::TestUpstream;
    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    const QHostAddress address(parser.value(listenOption));
    if (!ok || port > 65535 || address.isNull()) {
        std::fprintf(stderr, "invalid --port or --listen\n");
        return 2;
    }
    const qint64 hubFileSize = parser.value(hubOption).toLongLong(&ok);
    if (!ok || hubFileSize < 0) {
        std::fprintf(stderr, "invalid --hub-file-size\n");
        return 2;
    }
    const qint64 hubStallAfter = parser.value(stallOption).toLongLong(&ok);
    if (!ok || hubStallAfter < 0 || (hubStallAfter > 0 && hubStallAfter >= hubFileSize)) {
        std::fprintf(stderr, "invalid --hub-stall-after (needs --hub-file-size larger than it)\n");
        return 2;
    }
    QStringList hosts = TestUpstream::defaultHostNames();
    if (parser.isSet(hostsOption))
        hosts = parser.value(hostsOption).split(QLatin1Char(','), Qt::SkipEmptyParts);
    const TestCa::KeyType keyType = parser.isSet(rsaOption) ? TestCa::KeyType::Rsa2048 : TestCa::KeyType::EcP256;
    TestCa ca(keyType);
    if (!ca.isValid()) {
        std::fprintf(stderr, "%s\n", qPrintable(ca.errorString()));
        return 1;
    }
    TestUpstream upstream(&ca, hosts);
    upstream.setRecording(false);
    upstream.setTls(!parser.isSet(plainOption));
    airlock::test::ModelHub hub;
    QByteArray modelSha256;
    if (hubFileSize > 0) {
        using airlock::test::HubFile;
        HubFile model = HubFile::generated(QStringLiteral("model.gguf"), hubFileSize, true);
        modelSha256 = model.sha256Hex(); // once, streamed; the copies below keep it
        const QByteArray config = "{\"architectures\":[\"BenchModel\"],\"model_type\":\"bench\"}\n";
        hub.addHfRepo(QStringLiteral("bench/big"), QStringLiteral("0123456789abcdef0123456789abcdef01234567"),
                      {HubFile::small(QStringLiteral("config.json"), config), model});
        HubFile layer = model;
        layer.path.clear();
        layer.mediaType = "application/vnd.ollama.image.model";
        hub.addOllamaModel(QStringLiteral("library"), QStringLiteral("bench"), QStringLiteral("latest"),
                           HubFile::blob("{\"model_format\":\"gguf\",\"model_family\":\"bench\"}",
                                         "application/vnd.docker.container.image.v1+json"),
                           {layer});
        if (hubStallAfter > 0)
            hub.stallAfter(QStringLiteral("model.gguf"), hubStallAfter);
        upstream.setHandler(hub.handler());
    }
    if (!upstream.start(quint16(port), address)) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(upstream.errorString()));
        return 1;
    }
    const QString caPath =
        parser.isSet(certDirOption) ? ca.caFilePath(QDir(parser.value(certDirOption)).absolutePath()) : ca.caFilePath();
    if (caPath.isEmpty()) {
        std::fprintf(stderr, "cannot write the CA certificate\n");
        return 1;
    }
    std::printf("port=%u\nca=%s\n", unsigned(upstream.port()), qPrintable(caPath));
    if (hubFileSize > 0)
        std::printf("sha256=%s\n", modelSha256.constData());
    std::fflush(stdout);
    return app.exec();
}
