import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The simulated WSO2 node's door to JSSE (apim-deploy lab). The node itself is a Node program; every keystore and
 * every TLS trust decision goes through the JDK the node was started with, so they are exactly as strict as Carbon's.
 *
 *   java SimTls keystore                 stdin: file, type, store password, alias, key password
 *     prints the key (PKCS#8) and its certificate chain as PEM, or "ERROR <exception>"
 *   java SimTls vault TRANSFORMATION     stdin: file, type, store password, alias, key password, then base64 values
 *     decrypts each value with the key as Carbon's secure vault does (javax.crypto.Cipher.getInstance(TRANSFORMATION),
 *     DECRYPT_MODE, the value base64-decoded) and prints one line per value: "OK <plain text, base64>" or
 *     "FAIL <exception>"; a keystore that does not open prints "ERROR <exception>" alone
 *   java SimTls trust HOST PORT          stdin: truststore file, type, password
 *     handshakes with HOST:PORT trusting only that truststore (PKIX, as the JVM default trust manager Carbon uses)
 *     and prints "TRUSTED <leaf sha256>", "UNTRUSTED <leaf sha256 or -> <exception>" or "ERROR <exception>"
 * Secrets come on stdin so they never show in a process listing.
 */
public final class SimTls implements X509TrustManager {
    private static final int TIMEOUT_MS = 3000;

    /** One class file only (the packs ship SimTls.class alone): the recording trust manager is this class. */
    private final X509TrustManager jsse;
    private String leaf = "-";

    private SimTls(X509TrustManager jsse) {
        this.jsse = jsse;
    }

    public void checkClientTrusted(X509Certificate[] chain, String auth) throws CertificateException {
        jsse.checkClientTrusted(chain, auth);
    }

    public void checkServerTrusted(X509Certificate[] chain, String auth) throws CertificateException {
        try {
            leaf = sha256(chain[0].getEncoded());
        } catch (Exception e) {
            throw new CertificateException(e);
        }
        jsse.checkServerTrusted(chain, auth);
    }

    public X509Certificate[] getAcceptedIssuers() {
        return jsse.getAcceptedIssuers();
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            if (args.length == 1 && args[0].equals("keystore")) {
                exportKey(in.readLine(), in.readLine(), in.readLine(), in.readLine(), in.readLine());
            } else if (args.length == 2 && args[0].equals("vault")) {
                decrypt(args[1], in);
            } else if (args.length == 3 && args[0].equals("trust")) {
                checkTrust(args[1], Integer.parseInt(args[2]), in.readLine(), in.readLine(), in.readLine());
            } else {
                System.out.println("ERROR usage: SimTls keystore | SimTls vault TRANSFORMATION | SimTls trust HOST PORT");
                System.exit(64);
            }
        } catch (Exception e) {
            System.out.println("ERROR " + oneLine(e));
            System.exit(2);
        }
    }

    private static KeyStore load(String file, String type, String password) throws Exception {
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream stream = new FileInputStream(file)) {
            store.load(stream, password.toCharArray());
        }
        return store;
    }

    private static void exportKey(String file, String type, String password, String alias, String keyPassword)
            throws Exception {
        KeyStore store = load(file, type, password);
        Key key = store.getKey(alias, keyPassword.toCharArray());
        Certificate[] chain = store.getCertificateChain(alias);
        if (key == null || chain == null) {
            System.out.println("ERROR java.security.KeyStoreException: no private key entry with alias '" + alias + "' in " + file);
            System.exit(3);
        }
        StringBuilder out = new StringBuilder(pem("PRIVATE KEY", key.getEncoded()));
        for (Certificate c : chain) out.append(pem("CERTIFICATE", c.getEncoded()));
        System.out.print(out);
    }

    private static void decrypt(String transformation, BufferedReader in) throws Exception {
        String file = in.readLine(), type = in.readLine(), password = in.readLine(), alias = in.readLine(), keyPassword = in.readLine();
        Key key = load(file, type, password).getKey(alias, keyPassword.toCharArray());
        if (!(key instanceof java.security.PrivateKey)) {
            System.out.println("ERROR java.security.KeyStoreException: no private key entry with alias '" + alias + "' in " + file);
            System.exit(3);
        }
        StringBuilder out = new StringBuilder();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isEmpty()) continue;
            try {
                javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance(transformation);
                cipher.init(javax.crypto.Cipher.DECRYPT_MODE, key);
                byte[] plain = cipher.doFinal(Base64.getDecoder().decode(line.trim()));
                out.append("OK ").append(Base64.getEncoder().encodeToString(plain)).append('\n');
            } catch (Exception e) {
                out.append("FAIL ").append(oneLine(e)).append('\n');
            }
        }
        System.out.print(out);
    }

    private static void checkTrust(String host, int port, String file, String type, String password) throws Exception {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(load(file, type, password));
        SimTls recording = new SimTls((X509TrustManager) factory.getTrustManagers()[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {recording}, null);
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
        plain.setSoTimeout(TIMEOUT_MS);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true)) {
            socket.startHandshake();
            System.out.println("TRUSTED " + recording.leaf);
        } catch (javax.net.ssl.SSLException e) {
            System.out.println("UNTRUSTED " + recording.leaf + " " + oneLine(e));
        }
    }

    private static String oneLine(Exception e) {
        return e.toString().replace('\n', ' ').replace('\r', ' ');
    }

    private static String sha256(byte[] der) throws Exception {
        StringBuilder hex = new StringBuilder();
        for (byte b : MessageDigest.getInstance("SHA-256").digest(der)) hex.append(String.format("%02x", b));
        return hex.toString();
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
