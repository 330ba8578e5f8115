export * from './spec';
export * from './build';
export * from './weights';
export { TEMPLATE_STYLES } from './styles';
export * from './convert';
