export {
  type CsvValue,
  formatCsvField,
  neutraliseCsvFormula,
  quoteCsvField,
  toCsv,
} from './csv';
