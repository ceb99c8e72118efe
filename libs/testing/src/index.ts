/** Test helpers for integration suites. Never imported by production code. */
export { infra, kafkaSsl, kafkaTls, kafkaUser, localCa, queryDatabase, recreateDatabase, repoRoot, startInfra, stopInfra, type InfraComponent } from './lib/infra';
export { CuttablePostgres } from './lib/cuttable-postgres';
export { httpGet, startServiceProcess, waitFor, type HttpResult, type ServiceProcess } from './lib/service-process';
export { describeServiceBoot } from './lib/service-boot-suite';
export { ANALYTICS, SERVICES, Shop, type Email, type ServiceName, type ShopOptions } from './lib/shop';
export { checkInvariants, expectInvariants, type ShopTotals } from './lib/invariants';
export { customerOf, OPS_CLIENT, subjectOf, Tokens } from './lib/tokens';
export { produceRaw, type RawMessage } from './lib/kafka-produce';
export { LoopbackCapture, tcpStreams, type TcpStream } from './lib/loopback-capture';
export { parseStat, processTree, readProcesses, type ProcStat } from './lib/process-trees';
export { readTopics, type Offsets, type StoredMessage } from './lib/kafka-read';
