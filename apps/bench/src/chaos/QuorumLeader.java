// Which KRaft node leads the metadata quorum (the active controller): Kafka's own Admin client,
// bootstrapped to the controller listeners (KIP-919) as the admin over SASL/PLAIN, asks
// describeMetadataQuorum. kafkajs has no such request. Run as a source file with Kafka's client
// jars on the class path:
//   java -cp '<kafka libs>/*' QuorumLeader.java <host:port,...> <ca.pem|plain> <user> <password>
// Prints "leader <node id>", or "failed <exception>: <message>".
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

public class QuorumLeader {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, args[0]);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    boolean tls = !args[1].equals("plain");
    if (tls) {
      props.put("ssl.truststore.type", "PEM");
      props.put("ssl.truststore.location", args[1]);
    }
    props.put("security.protocol", tls ? "SASL_SSL" : "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "PLAIN");
    props.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + args[2] + "\" password=\"" + args[3] + "\";");
    try (Admin admin = Admin.create(props)) {
      int leader = admin.describeMetadataQuorum().quorumInfo().get(40, TimeUnit.SECONDS).leaderId();
      System.out.println("leader " + leader);
    } catch (ExecutionException e) {
      System.out.println("failed " + e.getCause().getClass().getSimpleName() + ": " + e.getCause().getMessage());
    } catch (java.util.concurrent.TimeoutException e) {
      System.out.println("failed TimeoutException: no answer in 40 s");
    }
  }
}
