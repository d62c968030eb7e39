export * from './constructs/stage';
export * from './constructs/stage-grants';
export * from './constructs/stage-events';
export * from './constructs/stage-metrics';
export * from './constructs/storage-configuration';
export * from './constructs/encoder-configuration';
export * from './constructs/ingest-configuration';
export * from './constructs/public-key';
