export * from './bucket';
export * from './categorization';
export * from './common';
export * from './generation';
export * from './market';
export * from './segment';
export * from './upload';
export * from './video';
