export * from './checks';
export * from './dockerfile';
