// HTTPS on the same server: a self-signed certificate made at test time (OpenSSL API, files in a
// temporary directory), the client with and without verification, and bad TLS configurations.
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>

#include "daemon/http/Client.h"
#include "http/RawSocket.h"
#include "http/ServerThread.h"

namespace rollcall::daemon::http::test {
namespace tls_test {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

struct TempCert {
  fs::path dir, cert, key;
  TempCert() {
    dir = fs::temp_directory_path() / ("rollcall-tls-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(dir);
    cert = dir / "cert.pem";
    key = dir / "key.pem";
    EVP_PKEY* pkey = EVP_EC_gen("P-256");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, pkey);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"},
                              std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      X509_add_ext(x, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(x, pkey, EVP_sha256());
    FILE* f = std::fopen(cert.c_str(), "w");
    PEM_write_X509(f, x);
    std::fclose(f);
    f = std::fopen(key.c_str(), "w");
    PEM_write_PrivateKey(f, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(x);
    EVP_PKEY_free(pkey);
  }
  ~TempCert() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static int& counter() {
    static int c = 0;
    return c;
  }
};

void tls_routes(const Request& q, Responder r) { r.respond({200, "application/json", "{\"path\":\"" + q.path + "\"}", {}}); }

struct TlsServer {
  TempCert certs;
  asio::io_context unused;
  std::unique_ptr<ServerThread> s;
  explicit TlsServer(Limits l = {}) {
    // enable_tls must happen before listen(): build the server by hand on its own thread object.
    s = std::make_unique<ServerThread>(l, tls_routes);
    s->run([&] {
      s->server().stop();
      EXPECT_FALSE(s->server().enable_tls(certs.cert.string(), certs.key.string()));
      EXPECT_FALSE(s->server().listen(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), s->port())));
    });
  }
};

TEST(HttpTls, RoundTripWithoutVerification) {
  TlsServer t;
  ClientOptions o;
  o.tls = true;
  o.tls_verify = false;
  auto res = request("127.0.0.1", t.s->port(), "GET", "/secure", {}, {}, o);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "{\"path\":\"/secure\"}");
}

TEST(HttpTls, VerifiedAgainstTheCertificateAsCa) {
  TlsServer t;
  ClientOptions o;
  o.tls = true;
  o.tls_ca_file = t.certs.cert.string();
  auto res = request("localhost", t.s->port(), "GET", "/v", {}, {}, o);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ(res->status, 200);
}

TEST(HttpTls, UntrustedCertificateIsATlsError) {
  TlsServer t;
  TempCert other;
  ClientOptions o;
  o.tls = true;
  o.tls_ca_file = other.cert.string();
  auto res = request("localhost", t.s->port(), "GET", "/v", {}, {}, o);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.error().kind, ClientError::Kind::tls) << res.error().message;
}

TEST(HttpTls, PlainHttpToTlsPortFailsAndServerLives) {
  TlsServer t;
  {
    RawSocket c(t.s->port());
    c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(c.wait_closed(3s));
  }
  ClientOptions o;
  o.tls = true;
  o.tls_verify = false;
  auto res = request("127.0.0.1", t.s->port(), "GET", "/after", {}, {}, o);
  ASSERT_TRUE(res.ok()) << res.error().message;
}

TEST(HttpTls, StalledHandshakeIsDropped) {
  Limits l;
  l.header_timeout = 300ms;
  TlsServer t(l);
  RawSocket c(t.s->port());  // connects, never says hello
  EXPECT_TRUE(c.wait_closed(3s));
}

TEST(HttpTls, BadFilesAreErrorsNotExceptions) {
  TempCert certs;
  asio::io_context io;
  Server s(io, {}, tls_routes);
  EXPECT_TRUE(s.enable_tls("/nonexistent/cert.pem", certs.key.string()));
  EXPECT_TRUE(s.enable_tls(certs.cert.string(), "/nonexistent/key.pem"));
  TempCert other;
  EXPECT_TRUE(s.enable_tls(certs.cert.string(), other.key.string()));  // key does not match
  EXPECT_FALSE(s.enable_tls(certs.cert.string(), certs.key.string()));
}

}  // namespace tls_test
}  // namespace rollcall::daemon::http::test
