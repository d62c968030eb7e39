export * from './constructs/stage';
export * from './constructs/storage-configuration';
export * from './constructs/encoder-configuration';
export * from './constructs/ingest-configuration';
export * from './constructs/public-key';
export * from './ivs-realtime-handlers';
