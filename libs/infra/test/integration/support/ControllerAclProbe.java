// What an outsider tries against a KRaft controller listener (KIP-919: an Admin client may bootstrap
// to the controllers): list every ACL of the cluster. Run as a source file by the integration test
// with Kafka's own client jars on the class path:
//   java -cp '<kafka libs>/*' ControllerAclProbe.java <host:port> <ca.pem|plain> [<user> <password>]
// A CA file: over TLS, the listener's certificate verified against it (SHOP_TLS=off: `plain`).
// No user: an anonymous client. Prints "acls <count>" or "refused <exception>: <message>".
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.acl.AclBindingFilter;

public class ControllerAclProbe {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, args[0]);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    boolean tls = !args[1].equals("plain");
    if (tls) {
      props.put("ssl.truststore.type", "PEM");
      props.put("ssl.truststore.location", args[1]);
    }
    if (args.length == 4) {
      props.put("security.protocol", tls ? "SASL_SSL" : "SASL_PLAINTEXT");
      props.put("sasl.mechanism", "PLAIN");
      props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + args[2] + "\" password=\"" + args[3] + "\";");
    } else {
      props.put("security.protocol", tls ? "SSL" : "PLAINTEXT");
    }
    try (Admin admin = Admin.create(props)) {
      int count = admin.describeAcls(AclBindingFilter.ANY).values().get(15, TimeUnit.SECONDS).size();
      System.out.println("acls " + count);
    } catch (ExecutionException e) {
      System.out.println("refused " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
    } catch (java.util.concurrent.TimeoutException e) {
      System.out.println("refused TimeoutException: no answer in 15 s");
    }
  }
}
