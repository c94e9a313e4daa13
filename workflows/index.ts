export { intakeDocument } from './intake';
export { orderWorkflow } from './order';
export { customerWorkflow } from './customer';
