export { intakeDocument } from './intake';
export { orderWorkflow } from './order';
