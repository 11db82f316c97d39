package io.ehbeam.transforms.archive;

import com.azure.storage.blob.BlobServiceClientBuilder;
import io.ehbeam.transforms.connect.SecretReference;
import org.apache.beam.sdk.io.azure.blobstore.DefaultBlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreClientBuilderFactory;
import org.apache.beam.sdk.io.azure.options.BlobstoreOptions;

/**
 * Clients for {@code azfs://} paths. A storage connection string is used alone (Beam's default
 * builder also adds the default Azure credential, whose bearer token refuses the plain-http
 * endpoints of Azurite). It comes from {@code --azureConnectionString}, which a job's command line
 * turns into a reference ({@code ${process:..}} for a value, kept in the launching JVM: enough for
 * the DirectRunner and local Flink or Spark; or {@code ${env:..}}, {@code ${file:..}}, {@code
 * ${dir:..}} as given), resolved here on each machine that writes; or from {@value #ENV}.
 * Without one, Beam's default (managed identity, SAS token, account key) applies.
 */
public final class BlobStorageClients implements BlobstoreClientBuilderFactory {
  public static final String ENV = "AZURE_STORAGE_CONNECTION_STRING";

  @Override
  public BlobServiceClientBuilder createBuilder(BlobstoreOptions options) {
    String connectionString = options.getAzureConnectionString();
    if (SecretReference.isReference(connectionString)) {
      connectionString = SecretReference.of(connectionString, "--azureConnectionString").resolve();
    }
    if (connectionString == null || connectionString.isBlank()) {
      connectionString = System.getenv(ENV);
    }
    if (connectionString != null && !connectionString.isBlank()) {
      return new BlobServiceClientBuilder().connectionString(connectionString);
    }
    return new DefaultBlobstoreClientBuilderFactory().createBuilder(options);
  }
}
