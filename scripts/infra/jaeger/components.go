// The component list of our Jaeger build. scripts/infra/provision.sh jaeger copies this file over
// cmd/jaeger/internal/components.go in its writable copy of github.com/jaegertracing/jaeger@v1.76.0
// before `go build ./cmd/jaeger`: it is that file cut down to what we run.
//
// Why: upstream registers every receiver, processor, exporter and extension of the Jaeger v2
// distribution (Kafka, tail sampling, Prometheus, AWS SigV4, span metrics, ...). Each one is more
// modules to download and more packages to compile (a cold build took 16 minutes on 2 cores);
// leaving them out shortens the cold build a lot (numbers in scripts/infra/README.md).
//
// What stays: exactly what our two configurations name.
//   - libs/infra/src/lib/components/jaeger.ts jaegerConfig() (infra.sh start jaeger):
//     extensions jaeger_storage, jaeger_query; receiver otlp; processor batch;
//     exporter jaeger_storage_exporter.
//   - Jaeger's built-in all-in-one configuration (cmd/jaeger/internal/all-in-one.yaml), which the
//     compose stand-in image docker/local-images/jaeger runs (no --config): in addition the
//     extensions remote_sampling, healthcheckv2 (:13133/status, its health check), expvar and
//     zpages, and the receivers jaeger and zipkin.
// A configuration that names anything else fails at start with "unknown type". To add a component,
// import its factory below (upstream's components.go in the module lists them all); the cache's
// marker holds a hash of this file, so the next provision.sh run rebuilds.
//
// Jaeger's storage backends (memory, badger, cassandra, elasticsearch, ...) are not chosen here:
// jaeger_storage always compiles them all in.

package internal

import (
	"github.com/open-telemetry/opentelemetry-collector-contrib/extension/healthcheckv2extension"
	"github.com/open-telemetry/opentelemetry-collector-contrib/receiver/jaegerreceiver"
	"github.com/open-telemetry/opentelemetry-collector-contrib/receiver/zipkinreceiver"
	"go.opentelemetry.io/collector/connector"
	"go.opentelemetry.io/collector/exporter"
	"go.opentelemetry.io/collector/extension"
	"go.opentelemetry.io/collector/extension/zpagesextension"
	"go.opentelemetry.io/collector/otelcol"
	"go.opentelemetry.io/collector/processor"
	"go.opentelemetry.io/collector/processor/batchprocessor"
	"go.opentelemetry.io/collector/receiver"
	"go.opentelemetry.io/collector/receiver/otlpreceiver"
	"go.opentelemetry.io/collector/service/telemetry/otelconftelemetry"

	"github.com/jaegertracing/jaeger/cmd/jaeger/internal/exporters/storageexporter"
	"github.com/jaegertracing/jaeger/cmd/jaeger/internal/extension/expvar"
	"github.com/jaegertracing/jaeger/cmd/jaeger/internal/extension/jaegerquery"
	"github.com/jaegertracing/jaeger/cmd/jaeger/internal/extension/jaegerstorage"
	"github.com/jaegertracing/jaeger/cmd/jaeger/internal/extension/remotesampling"
)

// Components is what cmd/jaeger/internal/command.go hands to the collector.
func Components() (otelcol.Factories, error) {
	var err error
	factories := otelcol.Factories{
		Telemetry: otelconftelemetry.NewFactory(), // service.telemetry (logs, metrics level/readers)
	}

	if factories.Extensions, err = otelcol.MakeFactoryMap[extension.Factory](
		jaegerstorage.NewFactory(),  // jaeger_storage (memory backend)
		jaegerquery.NewFactory(),    // jaeger_query (query HTTP/gRPC API)
		remotesampling.NewFactory(), // remote_sampling (all-in-one)
		healthcheckv2extension.NewFactory(),
		expvar.NewFactory(),
		zpagesextension.NewFactory(),
	); err != nil {
		return otelcol.Factories{}, err
	}

	if factories.Receivers, err = otelcol.MakeFactoryMap[receiver.Factory](
		otlpreceiver.NewFactory(),
		jaegerreceiver.NewFactory(), // all-in-one
		zipkinreceiver.NewFactory(), // all-in-one
	); err != nil {
		return otelcol.Factories{}, err
	}

	if factories.Processors, err = otelcol.MakeFactoryMap[processor.Factory](
		batchprocessor.NewFactory(),
	); err != nil {
		return otelcol.Factories{}, err
	}

	if factories.Exporters, err = otelcol.MakeFactoryMap[exporter.Factory](
		storageexporter.NewFactory(), // jaeger_storage_exporter
	); err != nil {
		return otelcol.Factories{}, err
	}

	// No connectors: neither configuration has one.
	if factories.Connectors, err = otelcol.MakeFactoryMap[connector.Factory](); err != nil {
		return otelcol.Factories{}, err
	}

	return factories, nil
}
